import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../random/rng';
import { columnMean } from './batchnorm-relu-ops';

// The BatchNorm forward statistics as column-sum matMuls (columnMean) against tf.mean, which tfjs-layers'
// tf.moments uses, both measured against a float64 reference at the size of a real activation
// ([64 views x 32 x 32, 32 channels]): the matMul must be at least as accurate, or the switch changes
// training for the worse rather than only differently.

afterAll(async () => {
  await tf.setBackend('cpu');
});

const [ROWS, C] = [65536, 32];

/** Activations with per-channel offsets and scales, as after a convolution (mean far from 0 makes sums hard). */
function activations(rng: Rng): Float32Array {
  const x = new Float32Array(ROWS * C);
  for (let i = 0; i < x.length; i++) {
    const c = i % C;
    x[i] = (c % 4) * 1.5 + (0.2 + c / 16) * (rng.next() * 2 - 1);
  }
  return x;
}

function float64Stats(x: Float32Array): { mean: Float64Array; variance: Float64Array } {
  const mean = new Float64Array(C);
  const variance = new Float64Array(C);
  for (let i = 0; i < x.length; i++) mean[i % C]! += x[i]!;
  for (let c = 0; c < C; c++) mean[c]! /= ROWS;
  for (let i = 0; i < x.length; i++) variance[i % C]! += (x[i]! - mean[i % C]!) ** 2;
  for (let c = 0; c < C; c++) variance[c]! /= ROWS;
  return { mean, variance };
}

/** Largest error relative to the reference's scale per channel. */
function worstRelative(reference: Float64Array, got: Float32Array): number {
  let worst = 0;
  for (let c = 0; c < C; c++) {
    worst = Math.max(worst, Math.abs(got[c]! - reference[c]!) / Math.max(1e-6, Math.abs(reference[c]!)));
  }
  return worst;
}

describe('BatchNorm statistics on wasm at [65536, 32]', () => {
  it('column-sum matMul mean and variance are at least as close to float64 as tf.mean', async () => {
    await tf.setBackend('wasm');
    const data = activations(new Rng(5));
    const reference = float64Stats(data);
    const before = tf.memory().numTensors;
    const x = tf.tensor2d(data, [ROWS, C]);
    const [ourMean, ourVariance, stockMean, stockVariance] = tf.tidy(() => {
      const mean = columnMean(x);
      const stock = tf.moments(x, 0);
      return [mean, columnMean(tf.squaredDifference(x, mean)), stock.mean, stock.variance];
    });
    const errors = {
      ourMean: worstRelative(reference.mean, (await ourMean!.data()) as Float32Array),
      ourVariance: worstRelative(reference.variance, (await ourVariance!.data()) as Float32Array),
      stockMean: worstRelative(reference.mean, (await stockMean!.data()) as Float32Array),
      stockVariance: worstRelative(reference.variance, (await stockVariance!.data()) as Float32Array),
    };
    tf.dispose([x, ourMean!, ourVariance!, stockMean!, stockVariance!]);
    expect(tf.memory().numTensors).toBe(before);
    // float32 has 6e-8 relative precision: both are far from exact at 65536 rows, ours no further
    expect(errors.ourMean).toBeLessThan(4e-6);
    expect(errors.ourVariance).toBeLessThan(4e-6);
    expect(errors.ourMean).toBeLessThanOrEqual(errors.stockMean);
    expect(errors.ourVariance).toBeLessThanOrEqual(errors.stockVariance);
  });
});
