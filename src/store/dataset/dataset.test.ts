import { beforeEach, describe, expect, it } from 'vitest';
import { initialAppState, reduceEvent, useAppStore } from '../app-store';
import { fakeFiles, type Harness, ingest, setUpStore } from '../test-support';
import { addInputFiles, cancelLoading, clearImages, setStoreSize } from './actions';

let h: Harness;
const dataset = () => useAppStore.getState().dataset;

beforeEach(() => {
  h = setUpStore();
});

describe('dataset slice', () => {
  it('sends addImages with the stored resolution and tracks progress', () => {
    setStoreSize(48);
    addInputFiles(fakeFiles(10));
    const command = h.worker.last('addImages');
    expect(command?.files).toHaveLength(10);
    expect(command?.data).toEqual({ storeSize: 48 });
    expect(dataset().ingest).toMatchObject({ processed: 0, total: 10 });

    h.worker.emit({
      type: 'ingestProgress',
      requestId: command!.requestId,
      processed: 4,
      total: 10,
      accepted: 3,
      skipped: 1,
    });
    expect(dataset().ingest).toMatchObject({ processed: 4, total: 10, accepted: 3 });

    // Progress of some other request is not ours.
    h.worker.emit({ type: 'ingestProgress', requestId: 999, processed: 9, total: 9, accepted: 9, skipped: 0 });
    expect(dataset().ingest?.processed).toBe(4);
  });

  it('sets the image count when decoding is done and accumulates skipped files', () => {
    ingest(h, 5, [{ path: 'set/notes.txt', reason: 'not an image' }], 4);
    expect(dataset().imageCount).toBe(4);
    expect(dataset().ingest).toBeNull();
    ingest(h, 3, [{ path: 'set/broken.png', reason: 'could not decode' }], 6);
    expect(dataset().imageCount).toBe(6);
    expect(dataset().skipped.map((s) => s.path)).toEqual(['set/notes.txt', 'set/broken.png']);
    expect(dataset().lastResult).toMatch(/Added 2 images, 1 file skipped/);
  });

  it('keeps files the walker could not read in the skipped list', () => {
    addInputFiles(fakeFiles(2), [{ path: 'set/locked.png', reason: 'Could not read the file: NotFoundError' }]);
    expect(dataset().skipped).toHaveLength(1);
  });

  it('clears count, skipped list and thumbnails on imagesCleared', () => {
    ingest(h, 3, [{ path: 'x.txt', reason: 'not an image' }], 2);
    clearImages();
    expect(h.worker.last('clearImages')).toBeDefined();
    h.worker.emit({ type: 'imagesCleared' });
    expect(dataset()).toMatchObject({ imageCount: 0, skipped: [], ingest: null });
  });

  it('cancel sends cancelIngest; the done event reports the cancellation', () => {
    addInputFiles(fakeFiles(100));
    const { requestId } = h.worker.last('addImages')!;
    cancelLoading();
    expect(h.worker.last('cancelIngest')).toBeDefined();
    h.worker.emit({ type: 'ingestDone', requestId, imageCount: 12, added: 12, skipped: [], cancelled: true });
    expect(dataset().imageCount).toBe(12);
    expect(dataset().lastResult).toMatch(/cancelled/i);
  });

  it('an error for the ingest request ends it and reaches the banner', () => {
    addInputFiles(fakeFiles(2));
    const { requestId } = h.worker.last('addImages')!;
    h.worker.emit({ type: 'error', requestId, context: 'Decoding set/1.png', error: { name: 'E', message: 'bad' } });
    expect(dataset().ingest).toBeNull();
    expect(useAppStore.getState().errors.errors[0]?.context).toBe('Decoding set/1.png');
  });

  it('refuses to add images while a run is active', async () => {
    const { addFileList } = await import('./actions');
    h.worker.emit({ type: 'trainState', phase: 'running', step: 3, totalSteps: 10, message: '', canContinue: false });
    addFileList([new File(['x'], 'a.png')]);
    expect(h.worker.last('addImages')).toBeUndefined();
    expect(useAppStore.getState().errors.errors[0]?.message).toMatch(/stop the training run/i);
  });

  it('a worker crash ends loading', () => {
    addInputFiles(fakeFiles(2));
    h.worker.crash('out of memory');
    expect(dataset().ingest).toBeNull();
  });

  it('unrelated events leave the slice as it is (same object back)', () => {
    const state = initialAppState();
    expect(reduceEvent(state, { type: 'modelInfo', summary: {} as never }).dataset).toBe(state.dataset);
  });
});
