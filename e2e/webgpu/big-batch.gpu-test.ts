import { describe, expect, it } from 'vitest';
import { BIG_BATCHES, trainBigBatch } from '../../src/core/train/big-batch-fixture';

// Batches of 256, 512 and 1,024 train on WebGPU (Dawn) in several passes, with the fused augmentation
// and the custom kernels the app uses there.
describe('big batches on WebGPU (Dawn)', () => {
  for (const batch of BIG_BATCHES) {
    it(`trains at batch ${batch} in passes: finite loss, weights change, tensors flat`, async () => {
      const result = await trainBigBatch(batch, 2);
      expect(result.plan.passes).toBe(Math.ceil(batch / 200));
      expect(result.losses.every(Number.isFinite)).toBe(true);
      expect(result.weightChange).toBeGreaterThan(1e-6);
      expect(result.tensorCounts[1]).toBe(result.tensorCounts[0]);
    }, 300_000);
  }
});
