import { useEffect } from 'react';
import { augmentProblems, isRunActive, redrawPreview, requestPreview, setPreviewImage, useAppStore } from '../../store';
import { AugmentPresets, AugmentSliders } from './AugmentSliders';
import { PreviewGrid } from './PreviewGrid';
import './augment-preview.css';

const ENGINE_LABEL = {
  fused: 'the fused WebGPU kernel',
  tfops: 'tf ops (this backend has no WebGPU)',
} as const;

/** Keeps the preview current: first views when images arrive, and one more request after a burst of changes. */
function usePreviewRefresh(): void {
  const imageCount = useAppStore((s) => s.dataset.imageCount);
  const backendReady = useAppStore((s) => s.training.backend.state === 'ready');
  const stale = useAppStore((s) => s.augmentPreview.stale && s.augmentPreview.requestId === null);
  const viewSize = useAppStore((s) => s.training.config.imageSize);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the views are redrawn at a new view size too
  useEffect(() => {
    if (imageCount > 0 && backendReady) requestPreview();
  }, [imageCount, backendReady, viewSize]);
  useEffect(() => {
    if (stale) requestPreview();
  }, [stale]);
}

/**
 * The augmentation's one set of controls (presets, sliders) and its preview: 8 pairs of views of one loaded image made by the exact training pipeline in
 * the worker; sliders and presets update it at once and reach a running run from its next step.
 */
export function AugmentPreview() {
  usePreviewRefresh();
  const imageCount = useAppStore((s) => s.dataset.imageCount);
  const preview = useAppStore((s) => s.augmentPreview);
  const running = useAppStore((s) => isRunActive(s.training.phase));
  const augment = useAppStore((s) => s.training.config.augment);
  const problems = augmentProblems(augment);
  const waiting = preview.requestId !== null;
  return (
    <fieldset className="augment-preview">
      <legend>Augmentation</legend>
      <AugmentPresets />
      {imageCount === 0 ? (
        <p className="muted">Load images (step 1) to see what the two views of an image look like.</p>
      ) : (
        <>
          <div className="button-row">
            <label className="augment-image-choice">
              Image{' '}
              <input
                type="number"
                aria-label="Preview image number"
                min={1}
                max={imageCount}
                value={preview.imageIndex + 1}
                onChange={(e) => setPreviewImage(Number(e.currentTarget.value) - 1)}
              />{' '}
              of {imageCount}
            </label>
            <button type="button" className="secondary small" onClick={() => setPreviewImage(preview.imageIndex - 1)}>
              Previous
            </button>
            <button type="button" className="secondary small" onClick={() => setPreviewImage(preview.imageIndex + 1)}>
              Next
            </button>
            <button type="button" className="secondary small" onClick={redrawPreview}>
              New draw
            </button>
          </div>
          <p className="muted small" aria-live="polite" data-testid="augment-preview-status">
            {preview.error
              ? `Preview failed: ${preview.error}`
              : waiting
                ? 'Updating the views…'
                : preview.views
                  ? `8 pairs of views of image ${preview.views.imageIndex + 1}, made by ${ENGINE_LABEL[preview.views.engine]} as in training.`
                  : 'Making the first views…'}
          </p>
          {preview.views && <PreviewGrid views={preview.views} />}
        </>
      )}
      <AugmentSliders />
      {problems.length > 0 && (
        <p className="augment-problems" role="alert">
          {problems.join(' ')}
        </p>
      )}
      {running && (
        <p className="muted small" aria-live="polite" data-testid="augment-applied">
          {problems.length > 0
            ? 'Not applied to the run: fix the settings above first (the run keeps its last valid settings).'
            : preview.appliedFromStep === null
              ? 'Changes here apply to the running run from its next step.'
              : `The running run uses these settings from step ${preview.appliedFromStep}.`}
        </p>
      )}
    </fieldset>
  );
}
