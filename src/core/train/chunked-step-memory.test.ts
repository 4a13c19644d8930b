import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { lossBytes, stepBytesPerImage } from '../../protocol/step-memory';
import { createAugmenter } from '../augment/batch-augmenter';
import { drawViewParams, selectViews } from '../augment/params';
import { Rng } from '../random/rng';
import { maxAbsDiff } from '../testing/max-abs-diff';
import { chunkedTrainStep } from './chunked-step';
import { randomImageStore, tinyConfig, tinyModel } from './test-fixtures';
import type { StepInputs } from './train-step';

const config = tinyConfig();

/**
 * Peak tensor bytes (tf.profile) of one step of `batch` images in chunks of `chunk`, above what was held
 * before it, after a warm-up step (Adam makes its slots in the first). The views are made inside the
 * step, as a run's augmentation makes them.
 */
async function stepPeakBytes(batch: number, chunk: number): Promise<number> {
  const { model, optimizer } = tinyModel({ ...config, batchSize: batch }, 'adam', 0);
  const rng = new Rng(11);
  const values = Float32Array.from({ length: 2 * batch * 8 * 8 * 3 }, () => rng.next() * 2 - 1);
  const input = { augment: () => tf.tensor4d(values, [2 * batch, 8, 8, 3]), temperature: 0.5, learningRate: 1e-3 };
  const step = () => chunkedTrainStep(model, optimizer, input, batch / chunk, false).loss.dispose();
  step();
  const held = tf.memory().numBytes;
  const { peakBytes } = await tf.profile(step);
  optimizer.dispose();
  model.dispose();
  return peakBytes - held;
}

describe('chunked step memory', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('grows with the chunk, not with the batch (tf.profile peak bytes, cpu backend)', async () => {
    const small = await stepPeakBytes(16, 2);
    const twiceTheBatch = await stepPeakBytes(32, 2);
    const twiceTheChunk = await stepPeakBytes(16, 4);
    const whole = await stepPeakBytes(32, 32);
    // Twice the batch in the same chunks adds only what scales with the whole batch: the views, z, dL/dz
    // and the [2B, 2B] loss tensors, which the planner's lossBytes bounds.
    expect(twiceTheBatch - small).toBeGreaterThan(0);
    expect(twiceTheBatch - small).toBeLessThanOrEqual(lossBytes(32, 8) - lossBytes(16, 8));
    expect(twiceTheBatch).toBeLessThan(1.6 * small);
    // Twice the chunk adds a chunk's activations, more than twice the batch did, within the planner's estimate.
    expect(twiceTheChunk - small).toBeGreaterThan(twiceTheBatch - small);
    expect(twiceTheChunk - small).toBeLessThanOrEqual(2 * stepBytesPerImage(config));
    // The same batch in one chunk holds every activation at once.
    expect(whole).toBeGreaterThan(4 * twiceTheBatch);
  });

  it('makes the views chunk by chunk when it can: the same step, less memory', async () => {
    const batch = 16;
    const size = 12;
    const store = randomImageStore(batch, 16);
    const augmenter = createAugmenter(store);
    const indices = Int32Array.from({ length: batch }, (_, i) => i);
    const params = drawViewParams(new Rng(5), 2 * batch, store.size, { ...config.augment, blurP: 1 });
    const whole = { augment: () => augmenter.views(indices, params, size), temperature: 0.5, learningRate: 1e-3 };
    const chunkViews = (start: number, n: number) => {
      const views = Int32Array.from({ length: 2 * n }, (_, i) => (i < n ? start + i : batch + start + i - n));
      return augmenter.views(indices.slice(start, start + n), selectViews(params, views), size);
    };
    const chunked = { ...whole, augmentImages: { batch, views: chunkViews } };
    const run = async (input: StepInputs) => {
      const { model, optimizer } = tinyModel({ ...config, imageSize: size, batchSize: batch }, 'adam', 0);
      const step = () => chunkedTrainStep(model, optimizer, input, 8, false).loss;
      step().dispose();
      const held = tf.memory().numBytes;
      let loss = 0;
      const { peakBytes } = await tf.profile(() => {
        const l = step();
        loss = l.dataSync()[0]!;
        l.dispose();
      });
      const weights = Float32Array.from(model.params[0]!.variable.dataSync());
      optimizer.dispose();
      model.dispose();
      return { loss, weights, peak: peakBytes - held };
    };
    const a = await run(whole);
    const b = await run(chunked);
    // The same views up to float rounding (a blur over 2 views or over 32): the same step.
    expect(Math.abs(b.loss - a.loss)).toBeLessThan(1e-6 * a.loss);
    expect(maxAbsDiff(b.weights, a.weights)).toBeLessThan(1e-6);
    // Whole: every view's crop, jitter and blur intermediates at once; chunked: one chunk's.
    expect(b.peak).toBeLessThan(0.8 * a.peak);
    augmenter.dispose();
  });
});
