import { describe, expect, it } from 'vitest';
import { BIG_BATCHES, trainBigBatch } from '../../src/core/train/big-batch-fixture';

// Batches of 256, 512 and 1,024 train on WebGPU (Dawn) in several passes, with the fused augmentation.
// On SwiftShader (no GPU) a step of 2,048 tiny views takes minutes: two steps at 256 (tensor count
// flat), one above.
describe('big batches on WebGPU (Dawn)', () => {
  for (const batch of BIG_BATCHES) {
    it(`trains at batch ${batch} in passes: finite loss, weights change, tensors flat`, async () => {
      const result = await trainBigBatch(batch, batch === 256 ? 2 : 1);
      expect(result.plan.passes).toBe(Math.ceil(batch / 200));
      expect(result.losses.every(Number.isFinite)).toBe(true);
      expect(result.weightChange).toBeGreaterThan(1e-6);
      if (batch === 256) expect(result.tensorCounts[1]).toBe(result.tensorCounts[0]);
    }, 900_000);
  }
});
