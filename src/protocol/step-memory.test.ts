import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from './config';
import {
  activationFloatsPerView,
  describeStepPlan,
  lossBytes,
  memoryLimitsFor,
  planStep,
  stepBytesPerImage,
  WASM_HEAP_BYTES,
} from './step-memory';

const r18: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, encoder: 'resnet18', widthMultiplier: 0.25, imageSize: 32 };
const MB = 1e6;

describe('step memory estimate', () => {
  it('covers the peak bytes measured with tf.profile on wasm (per view)', () => {
    // [config, measured peak bytes per view at batch 16 (tf.profile peakBytes minus resident, / 2B)]
    const cases: [Partial<TrainConfig>, number][] = [
      [{ widthMultiplier: 0.25, imageSize: 32 }, 14.2 * MB],
      [{ widthMultiplier: 0.5, imageSize: 32 }, 28.7 * MB],
      [{ widthMultiplier: 0.25, imageSize: 64 }, 56.0 * MB],
      [{ encoder: 'resnet-small', widthMultiplier: 0.25, imageSize: 32 }, 8.6 * MB],
      [{ encoder: 'resnet50', widthMultiplier: 0.25, imageSize: 32 }, 78.1 * MB],
    ];
    for (const [change, measured] of cases) {
      const perView = stepBytesPerImage({ ...r18, ...change }) / 2;
      expect(perView).toBeGreaterThanOrEqual(measured);
      expect(perView).toBeLessThan(2 * measured);
    }
  });

  it('counts the ResNet-18 activations (stem, 16 convolutions, 3 shortcuts)', () => {
    // width 0.25 at 32 px: 5 x 32*32*16 + 5 x 16*16*32 + 5 x 8*8*64 + 5 x 4*4*128
    expect(activationFloatsPerView(r18)).toBe(5 * 16384 + 5 * 8192 + 5 * 4096 + 5 * 2048);
  });
});

describe('planStep', () => {
  const wasm = memoryLimitsFor('wasm', { residentBytes: 10 * MB });

  it('keeps batch 64 of ResNet-18 width 0.25 at 32 px on wasm in one pass', () => {
    const result = planStep({ ...r18, batchSize: 64 }, wasm);
    expect(result.fits && result.plan.passes).toBe(1);
  });

  it('splits batch 256, 512 and 1,024 on wasm into passes that fit the 4 GiB heap', () => {
    for (const batchSize of [256, 512, 1024]) {
      const result = planStep({ ...r18, batchSize }, wasm);
      if (!result.fits) throw new Error('should fit');
      const { plan } = result;
      expect(plan.passes).toBeGreaterThan(1);
      expect(plan.passes * plan.imagesPerPass).toBeGreaterThanOrEqual(batchSize);
      expect((plan.passes - 1) * plan.imagesPerPass).toBeLessThan(batchSize);
      expect(plan.passBytes).toBeLessThanOrEqual(WASM_HEAP_BYTES * 0.75);
      expect(describeStepPlan(plan)).toMatch(
        new RegExp(
          `^batch ${batchSize.toLocaleString('en')} in ${plan.passes} chunks of (\\d+–)?${plan.imagesPerPass}$`,
        ),
      );
    }
  });

  it('raises the passes to a minimum after an out-of-memory error', () => {
    const result = planStep({ ...r18, batchSize: 256 }, wasm, 16);
    expect(result.fits && [result.plan.passes, result.plan.imagesPerPass]).toEqual([16, 16]);
  });

  it('honours the largest WebGPU buffer binding', () => {
    // 128 MiB binding, largest activation 32*32*16 floats = 64 KiB per view: 1,024 views, 512 images a pass
    const gpu = memoryLimitsFor('webgpu', { residentBytes: 0, maxBindingBytes: 128 * 1024 ** 2 });
    const result = planStep({ ...r18, encoder: 'resnet-small', widthMultiplier: 1 / 16, batchSize: 1024 }, gpu);
    expect(result.fits && result.plan.imagesPerPass).toBeLessThanOrEqual(512);
  });

  it('splits the batch into the chunk set by hand, whatever would fit', () => {
    for (const chunkSize of [2, 16, 64]) {
      const result = planStep({ ...r18, batchSize: 256, chunkSize }, wasm);
      if (!result.fits) throw new Error('should fit');
      expect([result.plan.passes, result.plan.imagesPerPass]).toEqual([256 / chunkSize, chunkSize]);
      expect(result.plan.passBytes).toBe(chunkSize * stepBytesPerImage(r18));
    }
    // Auto takes 4 chunks of 64 here; the whole batch as one chunk does not fit (the largest that does: 64).
    const auto = planStep({ ...r18, batchSize: 256, chunkSize: null }, wasm);
    expect(auto.fits && auto.plan.imagesPerPass).toBe(64);
    const whole = planStep({ ...r18, batchSize: 256, chunkSize: 256 }, wasm);
    expect(!whole.fits && whole.largestChunk).toBe(64);
    expect(describeStepPlan({ batchSize: 1024, passes: 16, imagesPerPass: 64 })).toBe('batch 1,024 in 16 chunks of 64');
    expect(describeStepPlan({ batchSize: 128, passes: 1, imagesPerPass: 128 })).toBe('batch 128 in one chunk');
  });

  it('refuses a set chunk that does not fit and names the largest dividing chunk that does', () => {
    const perImage = stepBytesPerImage(r18);
    const room = { ...wasm, budgetBytes: lossBytes(256, 32) + 40 * perImage };
    const result = planStep({ ...r18, batchSize: 256, chunkSize: 64 }, room);
    expect(result.fits).toBe(false);
    if (result.fits) return;
    expect(result.largestChunk).toBe(32);
    expect(planStep({ ...r18, batchSize: 256, chunkSize: 32 }, room).fits).toBe(true);
    // Room for one image only: no chunk of 2 or more divides and fits, and auto does not plan one-image
    // chunks either: it names a smaller batch (whose loss leaves room for two images).
    const one = { ...wasm, budgetBytes: lossBytes(256, 32) + 1.5 * perImage };
    const none = planStep({ ...r18, batchSize: 256, chunkSize: 64 }, one);
    expect(!none.fits && none.largestChunk).toBe(0);
    const auto = planStep({ ...r18, batchSize: 256, chunkSize: null }, one);
    if (auto.fits) throw new Error('a one-image chunk was planned');
    expect(auto.largestBatch).toBeGreaterThan(2);
    expect(auto.largestBatch).toBeLessThan(256);
    expect(planStep({ ...r18, batchSize: auto.largestBatch }, one).fits).toBe(true);
    // Without a set chunk the failure is about the batch (largestChunk null).
    const batch = planStep({ ...r18, batchSize: 1024 }, { ...wasm, budgetBytes: 200 * MB });
    expect(!batch.fits && batch.largestChunk).toBeNull();
  });

  it('plans a chunk that cannot split the batch as auto, and lets an out-of-memory minimum override a set one', () => {
    const auto = planStep({ ...r18, batchSize: 256 }, wasm);
    const odd = planStep({ ...r18, batchSize: 256, chunkSize: 24 }, wasm);
    expect(odd).toEqual(auto);
    const retried = planStep({ ...r18, batchSize: 256, chunkSize: 64 }, wasm, 8);
    expect(retried.fits && [retried.plan.passes, retried.plan.imagesPerPass]).toEqual([8, 32]);
    const kept = planStep({ ...r18, batchSize: 256, chunkSize: 16 }, wasm, 8);
    expect(kept.fits && [kept.plan.passes, kept.plan.imagesPerPass]).toEqual([16, 16]);
  });

  it('never plans a chunk of fewer than two images, for any batch and budget', () => {
    const perImage = stepBytesPerImage(r18);
    for (const batchSize of [2, 3, 5, 7, 31, 100, 257]) {
      for (const images of [1.5, 2.5, 3.5, 10.5]) {
        const room = { ...wasm, budgetBytes: lossBytes(batchSize, 32) + images * perImage };
        for (const minPasses of [1, 2, 64]) {
          const result = planStep({ ...r18, batchSize }, room, minPasses);
          if (!result.fits) continue;
          const { passes, imagesPerPass } = result.plan;
          expect(Math.floor(batchSize / passes), `batch ${batchSize}, ${passes} chunks`).toBeGreaterThanOrEqual(2);
          expect(imagesPerPass).toBeLessThanOrEqual(Math.floor(images));
          expect(passes).toBeGreaterThanOrEqual(Math.min(minPasses, passes));
        }
      }
    }
    // An out-of-memory retry that would need chunks of one image is told the step does not fit.
    expect(planStep({ ...r18, batchSize: 256 }, wasm, 129).fits).toBe(false);
    expect(planStep({ ...r18, batchSize: 256 }, wasm, 128).fits).toBe(true);
  });

  it('describes uneven chunks by their two sizes', () => {
    expect(describeStepPlan({ batchSize: 100, passes: 3, imagesPerPass: 34 })).toBe('batch 100 in 3 chunks of 33–34');
    const result = planStep(
      { ...r18, batchSize: 100 },
      { ...wasm, budgetBytes: lossBytes(100, 32) + 40.5 * stepBytesPerImage(r18) },
    );
    expect(result.fits && describeStepPlan(result.plan)).toBe('batch 100 in 3 chunks of 33–34');
  });

  it('says no and names a batch that fits when not even one image fits', () => {
    const tiny = { ...wasm, budgetBytes: 200 * MB };
    const result = planStep({ ...r18, batchSize: 1024 }, tiny);
    expect(result.fits).toBe(false);
    if (result.fits) return;
    expect(result.largestBatch).toBeGreaterThan(1);
    expect(result.largestBatch).toBeLessThan(1024);
    expect(planStep({ ...r18, batchSize: result.largestBatch }, tiny).fits).toBe(true);
    const none = planStep({ ...r18, batchSize: 256 }, { ...wasm, budgetBytes: 1 * MB });
    expect(!none.fits && none.largestBatch).toBe(0);
  });
});
