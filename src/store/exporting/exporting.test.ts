import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../../protocol/config';
import type { ExportMetadata } from '../../protocol/messages';
import { useAppStore } from '../app-store';
import { canExport } from '../selectors';
import { type Harness, setUpStore } from '../test-support';
import { downloadEmbedding, embedImage, exportEncoder, exportRecipe } from './actions';

let h: Harness;
beforeEach(() => {
  h = setUpStore();
});

/** The worker's answer to export request `requestId`: an encoder of `stepsTrained` steps on `imagePaths`. */
function answerExport(requestId: number, stepsTrained: number, imagePaths: string[]): void {
  const metadata = {
    config: DEFAULT_TRAIN_CONFIG,
    stepsTrained,
    inputSize: [32, 32, 3],
    normalization: { mean: [0, 0, 0], std: [1, 1, 1] },
    representationDim: 512,
  } as unknown as ExportMetadata;
  const pytorch = { encoder: new ArrayBuffer(8), head: new ArrayBuffer(8), optimizer: new ArrayBuffer(8) };
  h.worker.emit({
    type: 'exported',
    requestId,
    modelJson: '{}',
    weights: new ArrayBuffer(8),
    metadata,
    pytorch,
    imagePaths,
  });
}

describe('exporting slice', () => {
  it('export is possible after one step, and the exported event downloads a zip', () => {
    expect(canExport(useAppStore.getState())).toBe(false);
    h.worker.emit({ type: 'trainState', phase: 'running', step: 1, totalSteps: 10, message: '', canContinue: false });
    expect(canExport(useAppStore.getState())).toBe(true);

    exportEncoder();
    const { requestId } = h.worker.last('export')!;
    expect(canExport(useAppStore.getState())).toBe(false); // while the worker serializes
    answerExport(requestId, 7, []);
    expect(h.downloads).toHaveLength(1);
    expect(h.downloads[0]?.filename).toBe('simclr-encoder-resnet18-step7.zip');
    expect(h.downloads[0]?.blob.type).toBe('application/zip'); // contents: client/buffers.test.ts
    expect(useAppStore.getState().exporting.lastExport?.filename).toBe('simclr-encoder-resnet18-step7.zip');
  });

  it('"Continue on GPUs" downloads the PyTorch folder; a run without images reports why', () => {
    h.worker.emit({ type: 'trainState', phase: 'stopped', step: 5, totalSteps: 10, message: '', canContinue: false });
    const answer = (requestId: number, imagePaths: string[]) => answerExport(requestId, 5, imagePaths);
    exportRecipe();
    expect(h.worker.last('export')).toMatchObject({ withOptimizer: true });
    answer(h.worker.last('export')!.requestId, ['a.png', 'b.png']);
    expect(h.downloads.map((d) => d.filename)).toEqual(['simclr-pytorch-resnet18-step5.zip']);
    expect(canExport(useAppStore.getState())).toBe(true);

    exportRecipe();
    answer(h.worker.last('export')!.requestId, []);
    expect(h.downloads).toHaveLength(1);
    expect(useAppStore.getState().errors.errors.at(-1)).toMatchObject({ context: 'Building the PyTorch folder' });
    expect(useAppStore.getState().errors.errors.at(-1)?.message).toMatch(/load the data set first/);
    // The next plain export builds the encoder zip again.
    exportEncoder();
    expect(h.worker.last('export')).toMatchObject({ withOptimizer: false });
    answer(h.worker.last('export')!.requestId, ['a.png']);
    expect(h.downloads[1]?.filename).toBe('simclr-encoder-resnet18-step5.zip');
  });

  it('an export error releases the button', () => {
    h.worker.emit({ type: 'trainState', phase: 'stopped', step: 3, totalSteps: 10, message: '', canContinue: false });
    exportEncoder();
    const { requestId } = h.worker.last('export')!;
    h.worker.emit({ type: 'error', requestId, context: 'Export', error: { name: 'Error', message: 'x' } });
    expect(canExport(useAppStore.getState())).toBe(true);
  });

  it('embeds an image and downloads the full vector as JSON', async () => {
    embedImage(new File(['x'], 'probe.png'));
    const { requestId } = h.worker.last('embedImage')!;
    const embedding = Float32Array.from([0.1, -0.25, 3]);
    h.worker.emit({ type: 'embedded', requestId, name: 'probe.png', step: 3, embedding });
    expect(useAppStore.getState().exporting.embedding?.values).toEqual(Array.from(embedding));
    downloadEmbedding();
    expect(h.downloads[0]?.filename).toBe('embedding-probe.png.json');
    const json = JSON.parse(await h.downloads[0]!.blob.text());
    expect(json).toEqual({ name: 'probe.png', embedding: Array.from(embedding) });
  });
});
