import { beforeEach, describe, expect, it } from 'vitest';
import { SIMCLR_LIGHT_AUGMENT } from '../../protocol/config';
import { useAppStore } from '../app-store';
import { type Harness, setUpStore } from '../test-support';
import { applyPreset, changeAugment, requestPreview, setPreviewImage } from './actions';

let h: Harness;
beforeEach(() => {
  h = setUpStore();
  h.worker.emit({ type: 'ingestDone', requestId: 1, imageCount: 5, added: 5, skipped: [], cancelled: false });
});

const views = (requestId: number, imageIndex: number) =>
  ({
    type: 'augmentPreview',
    requestId,
    imageIndex,
    viewSize: 2,
    pairs: 8,
    pixels: new Uint8ClampedArray(16 * 2 * 2 * 4),
    engine: 'fused',
  }) as const;

describe('augmentation preview slice', () => {
  it('asks for the chosen image with the current settings, one request at a time, and shows only its answer', () => {
    setPreviewImage(3);
    const first = h.worker.last('previewAugment')!;
    expect(first).toMatchObject({ imageIndex: 3, viewSize: useAppStore.getState().training.config.imageSize });
    changeAugment({ grayscaleP: 1 });
    expect(h.worker.commands.filter((c) => c.type === 'previewAugment')).toHaveLength(1);
    expect(useAppStore.getState().augmentPreview.stale).toBe(true);
    h.worker.emit(views(first.requestId + 100, 0)); // not ours: ignored
    expect(useAppStore.getState().augmentPreview.views).toBeNull();
    h.worker.emit(views(first.requestId, 3));
    expect(useAppStore.getState().augmentPreview.views?.imageIndex).toBe(3);
    requestPreview(); // what the panel does when it sees `stale`
    expect(h.worker.last('previewAugment')!.augment.grayscaleP).toBe(1);
  });

  it('clamps the image number to the data set', () => {
    setPreviewImage(99);
    expect(h.worker.last('previewAugment')!.imageIndex).toBe(4);
  });

  it('sends changes to a running run, never invalid ones, and records the step they apply from', () => {
    changeAugment({ flipP: 0.3 });
    expect(h.worker.last('setAugment')).toBeUndefined(); // no run
    h.worker.emit({ type: 'trainState', phase: 'running', step: 4, totalSteps: 10, message: '', canContinue: false });
    applyPreset('light');
    expect(h.worker.last('setAugment')!.augment).toEqual(SIMCLR_LIGHT_AUGMENT);
    h.worker.emit({ type: 'augmentApplied', fromStep: 5, augment: SIMCLR_LIGHT_AUGMENT });
    expect(useAppStore.getState().augmentPreview.appliedFromStep).toBe(5);
    const sent = h.worker.commands.length;
    changeAugment({ cropAreaMin: 0.9, cropAreaMax: 0.5 });
    expect(h.worker.commands.length).toBe(sent);
  });

  it('a failed preview shows its message and frees the next request', () => {
    setPreviewImage(1);
    const { requestId } = h.worker.last('previewAugment')!;
    h.worker.emit({ type: 'error', requestId, context: 'previewing', error: { name: 'Error', message: 'boom' } });
    expect(useAppStore.getState().augmentPreview).toMatchObject({ error: 'boom', requestId: null });
  });
});
