/** Augmentation preview actions: choose the image, change the augmentation (live for a running run). */
import { AUGMENT_PRESETS, type AugmentPresetName } from '../../protocol/augment';
import type { AugmentConfig } from '../../protocol/config';
import { useAppStore } from '../app-store';
import { workerClient } from '../client-ref';
import { augmentProblems } from '../selectors';
import { setAugment } from '../training/actions';
import { isRunActive } from '../training/state';
import type { AugmentPreviewState } from './state';

function patch(update: Partial<AugmentPreviewState>): void {
  useAppStore.setState((s) => ({ augmentPreview: { ...s.augmentPreview, ...update } }));
}

/** Asks the worker for 8 pairs of views of the chosen image with the current settings (one request at a time). */
export function requestPreview(): void {
  const state = useAppStore.getState();
  const count = state.dataset.imageCount;
  if (count === 0) return;
  // settings that make no sense are not sent: the panel names the problem, the last views stay
  if (augmentProblems(state.training.config.augment).length > 0) return;
  const preview = state.augmentPreview;
  if (preview.requestId !== null) {
    patch({ stale: true });
    return;
  }
  const client = workerClient();
  const requestId = client.nextRequestId();
  const imageIndex = Math.min(preview.imageIndex, count - 1);
  patch({ requestId, stale: false, imageIndex });
  client.send({
    type: 'previewAugment',
    requestId,
    imageIndex,
    augment: structuredClone(state.training.config.augment),
    viewSize: state.training.config.imageSize,
    seed: preview.seed,
  });
}

export function setPreviewImage(index: number): void {
  const count = useAppStore.getState().dataset.imageCount;
  if (count === 0) return;
  patch({ imageIndex: Math.max(0, Math.min(count - 1, Math.round(index))) });
  requestPreview();
}

/** New random parameters for the same image and settings. */
export function redrawPreview(): void {
  patch({ seed: useAppStore.getState().augmentPreview.seed + 1 });
  requestPreview();
}

/** The settings changed: a running run takes them from its next step, and the preview follows. */
function afterAugmentChange(): void {
  const state = useAppStore.getState();
  const valid = augmentProblems(state.training.config.augment).length === 0;
  if (valid && isRunActive(state.training.phase)) {
    workerClient().send({ type: 'setAugment', augment: structuredClone(state.training.config.augment) });
  }
  requestPreview();
}

export function changeAugment(update: Partial<AugmentConfig>): void {
  setAugment(update);
  afterAugmentChange();
}

export function applyPreset(name: AugmentPresetName): void {
  setAugment({ ...AUGMENT_PRESETS[name].config });
  afterAugmentChange();
}
