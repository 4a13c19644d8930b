import { beforeEach, describe, expect, it } from 'vitest';
import { checkpointFromImport } from '../../client/bundle/read-import';
import { buildRecipeZip } from '../../client/recipe/recipe-zip';
import { DEFAULT_TRAIN_CONFIG } from '../../protocol/config';
import type { ExportMetadata } from '../../protocol/messages';
import { useAppStore } from '../app-store';
import { hasUnsavedSteps } from '../selectors';
import { type Harness, setUpStore } from '../test-support';
import { cancelBundle, deleteRun, downloadBundle, importFile, resumeRun } from './actions';

let h: Harness;
beforeEach(() => {
  h = setUpStore();
});

const metadata = {
  config: DEFAULT_TRAIN_CONFIG,
  stepsTrained: 4,
  normalization: { mean: [0, 0, 0], std: [1, 1, 1] },
  inputSize: [16, 16, 3],
  representationDim: 512,
} as unknown as ExportMetadata;
const pytorch = { encoder: new ArrayBuffer(8), head: new ArrayBuffer(8), optimizer: new ArrayBuffer(8) };

describe('runs slice', () => {
  it('lists runs with storage use, and sends resume/delete for a run', () => {
    const run = {
      id: 'r1',
      createdAt: 'a',
      updatedAt: 'b',
      step: 10,
      totalSteps: 20,
      lastLoss: 2,
      encoder: 'resnet18' as const,
      imageCount: 24,
      storeSize: 16,
      bytes: 100,
    };
    h.worker.emit({ type: 'runsList', runs: [run], storage: { usage: 5, quota: 50 } });
    expect(useAppStore.getState().runs).toMatchObject({ listed: true, runs: [run], storage: { usage: 5, quota: 50 } });
    resumeRun('r1');
    expect(h.worker.last('resumeRun')).toEqual({ type: 'resumeRun', runId: 'r1' });
    expect(useAppStore.getState().runs.resuming).toBe('r1');
    // Only the resume's own failure ends it.
    const error = { name: 'Error', message: 'x' };
    h.worker.emit({ type: 'error', requestId: null, context: 'resuming a saved run', error });
    expect(useAppStore.getState().runs.resuming).toBe('r1');
    h.worker.emit({ type: 'error', requestId: null, context: 'resuming a saved run', error, failed: 'resume' });
    expect(useAppStore.getState().runs.resuming).toBeNull();
    deleteRun('r1');
    expect(h.worker.last('deleteRun')).toEqual({ type: 'deleteRun', runId: 'r1' });
  });

  it('tracks the checkpoint of the run on screen: saving, saved, failed, and what a reload would lose', () => {
    const state = () => useAppStore.getState();
    h.worker.emit({ type: 'trainState', phase: 'running', step: 1, totalSteps: 100, message: '', canContinue: false });
    expect(hasUnsavedSteps(state())).toBe(true);
    h.worker.emit({ type: 'checkpointSaving', runId: 'r1', step: 1 });
    expect(state().runs.checkpoint).toMatchObject({ runId: 'r1', saving: 1, saved: null });
    expect(hasUnsavedSteps(state())).toBe(true); // not complete yet
    h.worker.emit({ type: 'checkpointSaved', runId: 'r1', step: 1 });
    expect(state().runs.checkpoint).toMatchObject({ saving: null, saved: 1, safeStep: 1 });
    expect(hasUnsavedSteps(state())).toBe(false);
    h.worker.emit({ type: 'trainState', phase: 'running', step: 9, totalSteps: 100, message: '', canContinue: false });
    expect(hasUnsavedSteps(state())).toBe(true);
    h.worker.emit({ type: 'checkpointSaving', runId: 'r1', step: 9 });
    h.worker.emit({ type: 'checkpointFailed', runId: 'r1', step: 9 });
    expect(state().runs.checkpoint).toMatchObject({ saving: null, saved: 1, failed: true, safeStep: 1 });
    expect(hasUnsavedSteps(state())).toBe(true);
    // A restart after out-of-memory saves into a new run: its steps start from 0 again.
    h.worker.emit({ type: 'checkpointSaved', runId: 'r2', step: 1 });
    expect(state().runs.checkpoint).toMatchObject({ runId: 'r2', saved: 1, failed: false, safeStep: 1 });
  });

  it('a resumed run is saved at its step; an imported one is safe (its file) but not saved', () => {
    const state = () => useAppStore.getState();
    const restored = { type: 'runRestored', config: DEFAULT_TRAIN_CONFIG, canContinue: true, message: '' } as const;
    resumeRun('r1');
    h.worker.emit({ ...restored, runId: 'r1', step: 10 });
    h.worker.emit({ type: 'trainState', phase: 'running', step: 10, totalSteps: 20, message: '', canContinue: false });
    expect(state().runs.checkpoint).toMatchObject({ runId: 'r1', saved: 10, safeStep: 10 });
    expect(hasUnsavedSteps(state())).toBe(false);
    h.worker.emit({ ...restored, runId: 'imported', step: 7 });
    h.worker.emit({ type: 'trainState', phase: 'paused', step: 7, totalSteps: 20, message: '', canContinue: false });
    expect(state().runs.checkpoint).toMatchObject({ runId: 'imported', saved: null, safeStep: 7 });
    expect(hasUnsavedSteps(state())).toBe(false);
  });

  it('nothing to lose before a run or after it failed', () => {
    const state = () => useAppStore.getState();
    expect(hasUnsavedSteps(state())).toBe(false);
    h.worker.emit({ type: 'trainState', phase: 'error', step: 5, totalSteps: 20, message: 'x', canContinue: false });
    expect(hasUnsavedSteps(state())).toBe(false);
  });

  it('a restored run brings its config into the settings', () => {
    const config = { ...DEFAULT_TRAIN_CONFIG, batchSize: 8, checkpointEverySteps: 10 };
    h.worker.emit({
      type: 'runRestored',
      runId: 'r1',
      config,
      step: 10,
      canContinue: true,
      message: 'Resumed from step 10.',
    });
    expect(useAppStore.getState().training.config).toEqual(config);
    expect(useAppStore.getState().runs.restored?.message).toBe('Resumed from step 10.');
  });

  it('builds the bundle only when both the encoder and the embeddings have arrived', async () => {
    downloadBundle(async () => []);
    const exportId = h.worker.last('export')!.requestId;
    const embedId = h.worker.last('embedDataset')!.requestId;
    h.worker.emit({ type: 'embedDatasetProgress', requestId: embedId, done: 1, total: 2 });
    expect(useAppStore.getState().runs.bundle).toMatchObject({ done: 1, total: 2 });
    h.worker.emit({
      type: 'exported',
      requestId: exportId,
      modelJson: '{}',
      weights: new ArrayBuffer(4),
      metadata,
      pytorch,
      imagePaths: [],
    });
    expect(h.downloads).toHaveLength(0);
    h.worker.emit({
      type: 'datasetEmbedded',
      requestId: embedId,
      embeddings: Float32Array.from([1, 2, 3, 4]),
      count: 2,
      dim: 2,
      paths: ['a.png', 'b.png'],
      datasetFingerprint: '2x16px-0',
      checkpoint: new TextEncoder().encode('SIMCLRCK....').buffer as ArrayBuffer,
      cancelled: false,
    });
    await expect.poll(() => h.downloads.length).toBe(1);
    expect(h.downloads[0]!.filename).toBe('simclr-bundle-resnet18-step4.zip');
    // The bundle carries the run's checkpoint, byte for byte (its other files: client/bundle/bundle.test.ts).
    const zip = new Uint8Array(await h.downloads[0]!.blob.arrayBuffer());
    expect(new TextDecoder().decode(checkpointFromImport('b.zip', zip))).toBe('SIMCLRCK....');
    expect(useAppStore.getState().runs.bundle).toBeNull();
  });

  it('a cancelled or failed embedding pass releases the bundle without a download', () => {
    downloadBundle(async () => []);
    const embedId = h.worker.last('embedDataset')!.requestId;
    cancelBundle();
    expect(h.worker.last('cancelEmbedDataset')).toBeDefined();
    h.worker.emit({
      type: 'datasetEmbedded',
      requestId: embedId,
      embeddings: new Float32Array(0),
      count: 0,
      dim: 2,
      paths: [],
      datasetFingerprint: '',
      checkpoint: new ArrayBuffer(0),
      cancelled: true,
    });
    expect(useAppStore.getState().runs.bundle).toBeNull();
    downloadBundle(async () => []);
    const again = h.worker.last('embedDataset')!.requestId;
    h.worker.emit({
      type: 'error',
      requestId: again,
      context: 'embedding the data set',
      error: { name: 'Error', message: 'x' },
    });
    expect(useAppStore.getState().runs.bundle).toBeNull();
    expect(h.downloads).toHaveLength(0);
  });

  it('refuses a foreign file in the page, without bothering the worker', async () => {
    await importFile(new File(['hello'], 'notes.txt'));
    expect(h.worker.last('importCheckpoint')).toBeUndefined();
    expect(useAppStore.getState().errors.errors[0]?.message).toMatch(/notes\.txt is neither a simclr-tab bundle/);
    await importFile(new File([new TextEncoder().encode('SIMCLRCK rest')], 'run.simclr'));
    expect(h.worker.last('importCheckpoint')).toMatchObject({ name: 'run.simclr' });
  });

  it('sends the PyTorch download (or a zipped checkpoint folder of it) to the worker as a recipe import', async () => {
    const metadata = { config: DEFAULT_TRAIN_CONFIG, stepsTrained: 3 } as unknown as ExportMetadata;
    const pytorch = {
      encoder: Uint8Array.of(1).buffer,
      head: Uint8Array.of(2).buffer,
      optimizer: Uint8Array.of(3).buffer,
    };
    const event = {
      type: 'exported',
      requestId: 1,
      modelJson: '{}',
      weights: new ArrayBuffer(4),
      metadata,
      pytorch,
    } as const;
    const { blob, filename } = buildRecipeZip({ ...event, imagePaths: ['a.png', 'b.png'] }, 64);
    await importFile(new File([await blob.arrayBuffer()], filename));
    expect(h.worker.last('importCheckpoint')).toBeUndefined();
    const sent = h.worker.last('importRecipe')!;
    expect(sent).toMatchObject({ name: filename, files: { fileList: 'a.png\nb.png\n' } });
    expect(JSON.parse(sent.files.config)).toMatchObject({ step: 3, imageCount: 2 });
    expect([...new Uint8Array(sent.files.optimizer)]).toEqual([3]);
    expect(useAppStore.getState().runs.importRequestId).toBe(sent.requestId);
  });
});
