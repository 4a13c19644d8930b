import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { registerWasmConvGradients } from '../kernels';
import { BIG_BATCHES, trainBigBatch } from './big-batch-fixture';

// Batches of 256, 512 and 1,024 train on the tfjs CPU and wasm backends in several passes each (the
// WebGPU case is e2e/webgpu/big-batch.gpu-test.ts, WebGL e2e/big-batch.spec.ts).
afterAll(async () => {
  await tf.setBackend('cpu');
});

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`big batches on ${backend}`, () => {
    for (const batch of BIG_BATCHES) {
      it(`trains at batch ${batch} in passes: finite loss, weights change, tensors flat`, async () => {
        await tf.setBackend(backend);
        if (backend === 'wasm') await registerWasmConvGradients();
        // Two steps at 256 show the tensor count flat; one step each above (the CPU backend is slow).
        const result = await trainBigBatch(batch, batch === 256 ? 2 : 1);
        expect(result.plan.passes).toBe(Math.ceil(batch / 200));
        expect(result.losses.every(Number.isFinite)).toBe(true);
        expect(result.weightChange).toBeGreaterThan(1e-6);
        if (batch === 256) expect(result.tensorCounts[1]).toBe(result.tensorCounts[0]);
      }, 180_000);
    }
  });
}
