import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { augmentViews } from '../../src/core/augment/augment-views';
import { FusedAugmenter, TfOpsAugmenter } from '../../src/core/augment/batch-augmenter';
import { drawViewParams, effectiveBlurKernel } from '../../src/core/augment/params';
import { type ReferenceStages, referenceViews } from '../../src/core/augment/reference';
import { ALL_OPS, augmentCase, maxAbsDiff } from '../../src/core/augment/test-fixtures';
import { FUSED_BLUR_MAX_KERNEL, fusedAugmentViews } from '../../src/core/augment/webgpu/fused-augment';
import { STAGE } from '../../src/core/augment/webgpu/wgsl-augment';
import { GpuImageSet } from '../../src/core/data/gpu-image-set';
import { ImageStore } from '../../src/core/data/image-store';
import { Rng } from '../../src/core/random/rng';
import { pairedSourceIndex } from '../../src/core/train/train-step';
import { NORMALIZE_STD } from '../../src/protocol/config';

/** The tolerance: max abs error 1e-3 on [0, 1] pixels (normalized views are compared x std). */
const TOLERANCE = 1e-3;

/** The images resident in a GpuImageSet; chunkBytes small enough to split them over several chunks when asked. */
function residentSet(images: Uint8Array[], size: number, chunkBytes = 1 << 20): GpuImageSet {
  const store = new ImageStore(size);
  for (const [i, image] of images.entries()) store.add(image, `img${i}`);
  return new GpuImageSet(store, { chunkBytes, residentChunks: 4 });
}

async function fusedVsReference(seed: number, storedSize: number, viewSize: number, stages: ReferenceStages) {
  const c = augmentCase(seed, 4, storedSize, viewSize, ALL_OPS);
  // odd seeds read straight from one chunk, even seeds from a batch copied out of two chunks
  const imageBytes = Math.ceil((storedSize * storedSize * 3) / 4) * 4;
  const set = residentSet(c.images, storedSize, seed % 2 === 0 ? 2 * imageBytes : 1 << 20);
  const batch = set.batch([0, 1, 2, 3]);
  expect(set.chunkCount).toBe(seed % 2 === 0 ? 2 : 1);
  const sourceIndex = Int32Array.from(c.sourceIndex, (i) => batch.rows[i]!);
  const bits =
    (stages.jitter ? STAGE.jitter : 0) |
    (stages.grayscale ? STAGE.grayscale : 0) |
    (stages.blur ? STAGE.blur : 0) |
    (stages.normalize ? STAGE.normalize : 0);
  const views = fusedAugmentViews(batch.images, storedSize, sourceIndex, c.params, viewSize, bits);
  expect(views.shape).toEqual([c.params.count, viewSize, viewSize, 3]);
  const gpu = await views.data();
  views.dispose();
  if (batch.owned) batch.images.dispose();
  set.dispose();
  const reference = referenceViews(c.images, storedSize, c.sourceIndex, c.params, viewSize, stages);
  // normalized values are (x - mean) / std: scale the error back to [0, 1] pixels
  const scale = stages.normalize ? Math.min(...NORMALIZE_STD) : 1;
  return maxAbsDiff(gpu, reference) * scale;
}

const NONE: ReferenceStages = { jitter: false, grayscale: false, blur: false, normalize: false };

describe('fused WGSL augmentation vs the TypeScript reference (Dawn WebGPU)', () => {
  it('resized crop + flip alone', async () => {
    expect(await fusedVsReference(1, 24, 16, NONE)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('crop + colour jitter in random order', async () => {
    expect(await fusedVsReference(2, 24, 16, { ...NONE, jitter: true })).toBeLessThanOrEqual(TOLERANCE);
  });

  it('crop + jitter + grayscale', async () => {
    expect(await fusedVsReference(3, 24, 16, { ...NONE, jitter: true, grayscale: true })).toBeLessThanOrEqual(
      TOLERANCE,
    );
  });

  it('crop + Gaussian blur', async () => {
    expect(await fusedVsReference(4, 24, 32, { ...NONE, blur: true })).toBeLessThanOrEqual(TOLERANCE);
  });

  it('a large blur kernel (k = 7 at 64 px) takes the separable passes and still agrees', async () => {
    expect(effectiveBlurKernel(64)).toBeGreaterThan(FUSED_BLUR_MAX_KERNEL);
    expect(await fusedVsReference(12, 24, 64, { ...NONE, blur: true })).toBeLessThanOrEqual(TOLERANCE);
    const all: ReferenceStages = { jitter: true, grayscale: true, blur: true, normalize: true };
    expect(await fusedVsReference(13, 31, 64, all)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('the whole pipeline fused, odd stored and view sizes included', async () => {
    const all: ReferenceStages = { jitter: true, grayscale: true, blur: true, normalize: true };
    expect(await fusedVsReference(5, 24, 32, all)).toBeLessThanOrEqual(TOLERANCE);
    expect(await fusedVsReference(6, 13, 9, all)).toBeLessThanOrEqual(TOLERANCE);
    expect(await fusedVsReference(7, 5, 40, all)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('the tf-ops path on the same WebGPU backend gives the same views', async () => {
    const c = augmentCase(8, 4, 20, 24, ALL_OPS);
    const pixels = tf.tensor4d(
      Float32Array.from(c.images.flatMap((image) => Array.from(image, (b) => b / 255))),
      [4, 20, 20, 3],
    );
    const views = augmentViews(pixels, c.sourceIndex, c.params, 24);
    const tfops = await views.data();
    tf.dispose([pixels, views]);
    const reference = referenceViews(c.images, 20, c.sourceIndex, c.params, 24);
    expect(maxAbsDiff(tfops, reference) * Math.min(...NORMALIZE_STD)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('the training augmenters (fused over a paged GPU data set, and tf ops) give the reference views', async () => {
    const size = 12;
    const c = augmentCase(10, 10, size, 16, ALL_OPS);
    const store = new ImageStore(size);
    for (const [i, image] of c.images.entries()) store.add(image, `img${i}`);
    const imageBytes = Math.ceil((size * size * 3) / 4) * 4;
    const fused = new FusedAugmenter(store, { chunkBytes: 3 * imageBytes, residentChunks: 2 });
    const tfops = new TfOpsAugmenter(store);
    const indices = Int32Array.from([9, 1, 4, 0, 7]);
    const params = drawViewParams(new Rng(11), 10, size, ALL_OPS);
    const reference = referenceViews(
      Array.from(indices, (i) => c.images[i]!),
      size,
      pairedSourceIndex(indices.length),
      params,
      16,
    );
    const scale = Math.min(...NORMALIZE_STD);
    for (const augmenter of [fused, tfops]) {
      const views = augmenter.views(indices, params, 16);
      expect(maxAbsDiff(await views.data(), reference) * scale, augmenter.kind).toBeLessThanOrEqual(TOLERANCE);
      views.dispose();
    }
    expect(fused.images.chunkCount).toBe(4);
    expect(fused.images.residentCount).toBeLessThanOrEqual(2);
    fused.dispose();
  });

  it('leaves no tensors behind', async () => {
    const c = augmentCase(9, 2, 16, 16, ALL_OPS);
    const set = residentSet(c.images, 16);
    set.warm();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const batch = set.batch([0, 1]);
      fusedAugmentViews(batch.images, 16, c.sourceIndex, c.params, 16).dispose();
      if (batch.owned) batch.images.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    set.dispose();
  });
});
