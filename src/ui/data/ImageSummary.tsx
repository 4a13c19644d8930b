import { clearImages, isLoading, isRunActive, useAppStore } from '../../store';
import { imageCountText } from '../format';

/** How many images the worker holds, the last load's outcome, and Clear. */
export function ImageSummary() {
  const imageCount = useAppStore((s) => s.dataset.imageCount);
  const skippedCount = useAppStore((s) => s.dataset.skipped.length);
  const lastResult = useAppStore((s) => s.dataset.lastResult);
  const locked = useAppStore((s) => isRunActive(s.training.phase) || isLoading(s.dataset));
  return (
    <div className="image-summary">
      <p className="image-count" data-testid="image-count">
        {imageCountText(imageCount)}
      </p>
      {lastResult && <p className="muted">{lastResult}</p>}
      <button
        type="button"
        className="secondary"
        disabled={locked || (imageCount === 0 && skippedCount === 0)}
        title={locked ? 'Not while images load or a run is active' : undefined}
        onClick={clearImages}
      >
        Clear images
      </button>
    </div>
  );
}
