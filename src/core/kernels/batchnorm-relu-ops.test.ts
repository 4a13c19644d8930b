import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../random/rng';
import { maxAbsDiff } from '../testing/max-abs-diff';
import { batchNormReluInOps, movingAverageInOps } from './batchnorm-relu-ops';
import { batchNormReluReferenceBackward, batchNormReluReferenceForward } from './batchnorm-relu-reference';
import { randomBatchNormReluCase } from './test-fixtures';

// The BatchNorm(+residual)+ReLU op in tfjs ops (batchnorm-relu-ops.ts) against the float64 TypeScript
// reference (batchnorm-relu-reference.ts, itself checked in fused-reference.test.ts) and against tfjs's
// autodiff through the stock ops, on the CPU and wasm backends.

afterAll(async () => {
  await tf.setBackend('cpu');
});

/** tf.moments + tf.batchNorm [+ residual] [-> relu], as tfjs-layers' BatchNormalization trains. */
function stock(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, residual: tf.Tensor | null, relu: boolean) {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  let y: tf.Tensor = tf.batchNorm(x, mean, variance, beta as tf.Tensor1D, gamma as tf.Tensor1D, 1e-5);
  if (residual) y = tf.add(y, residual);
  return relu ? tf.relu(y) : y;
}

describe.each(['cpu', 'wasm'])('BatchNorm+ReLU in ops on %s', (backend) => {
  for (const [relu, withResidual] of [
    [true, false],
    [true, true],
    [false, true],
    [false, false],
  ] as const) {
    it(`relu ${relu}, residual ${withResidual}: values, statistics and all gradients`, async () => {
      await tf.setBackend(backend);
      expect(tf.getBackend()).toBe(backend);
      const rng = new Rng(relu ? 11 : 13);
      const shape: [number, number, number, number] = [2, 3, 4, 6];
      const [rows, C] = [2 * 3 * 4, 6];
      // x offset by 3, so the centered form matters for the variance and dgamma
      const { input, dy } = randomBatchNormReluCase(rng, rows, C, { relu, residual: withResidual, xOffset: 3 });
      const { x, gamma, beta, residual } = input;
      const forward = batchNormReluReferenceForward(input);
      const grads = batchNormReluReferenceBackward(input, dy);

      const before = tf.memory().numTensors;
      const xs = tf.tensor4d(x, shape);
      const gs = tf.tensor1d(gamma);
      const bs = tf.tensor1d(beta);
      const rs = residual ? tf.tensor4d(residual, shape) : null;
      const dys = tf.tensor4d(dy, shape);
      const { y, stats } = batchNormReluInOps(xs, gs, bs, { epsilon: 1e-5, relu, residual: rs });
      expect(y.shape).toEqual(shape);
      expect(stats.shape).toEqual([2, C]);
      const s = await stats.data();
      expect(maxAbsDiff(forward.y, await y.data())).toBeLessThan(1e-5);
      expect(maxAbsDiff(forward.mean, s.subarray(0, C))).toBeLessThan(1e-5);
      expect(maxAbsDiff(forward.variance, s.subarray(C))).toBeLessThan(1e-5);
      if (relu) expect(forward.y.some((v) => v === 0)).toBe(true);

      const operands = rs ? [xs, gs, bs, rs] : [xs, gs, bs];
      const ours = tf.grads((...t: tf.Tensor[]) => {
        const out = batchNormReluInOps(t[0]!, t[1] as tf.Tensor1D, t[2] as tf.Tensor1D, {
          epsilon: 1e-5,
          relu,
          residual: t[3] ?? null,
        });
        out.stats.dispose();
        return tf.sum(tf.mul(out.y, dys));
      })(operands);
      const theirs = tf.grads((...t: tf.Tensor[]) =>
        tf.sum(tf.mul(stock(t[0]!, t[1]!, t[2]!, t[3] ?? null, relu), dys)),
      )(operands);
      const expected = [grads.dx, grads.dgamma, grads.dbeta, ...(grads.dresidual ? [grads.dresidual] : [])];
      expect(ours).toHaveLength(expected.length);
      for (let i = 0; i < expected.length; i++) {
        const [a, b] = [await ours[i]!.data(), await theirs[i]!.data()];
        expect(ours[i]!.shape).toEqual(operands[i]!.shape);
        expect(maxAbsDiff(expected[i]!, a)).toBeLessThan(1e-4);
        expect(maxAbsDiff(b, a)).toBeLessThan(1e-4);
      }
      const stockY = tf.tidy(() => stock(xs, gs, bs, rs, relu));
      expect(maxAbsDiff(await stockY.data(), await y.data())).toBeLessThan(1e-5);
      tf.dispose([xs, gs, bs, dys, y, stats, stockY, ...ours, ...theirs, ...(rs ? [rs] : [])]);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('updates moving statistics as tfjs-layers does', async () => {
    await tf.setBackend(backend);
    const moving = tf.tensor1d([1, -2, 0.5]);
    const stats = tf.tensor2d([0.2, 0.4, -1, 3, 5, 7], [2, 3]);
    const mean = await movingAverageInOps(moving, stats, 0, 0.9).data();
    const variance = await movingAverageInOps(moving, stats, 1, 0.9).data();
    expect(maxAbsDiff(mean, [1 - 0.8 * 0.1, -2 + 2.4 * 0.1, 0.5 - 1.5 * 0.1])).toBeLessThan(1e-6);
    expect(maxAbsDiff(variance, [1 + 2 * 0.1, -2 + 7 * 0.1, 0.5 + 6.5 * 0.1])).toBeLessThan(1e-6);
    tf.dispose([moving, stats]);
  });
});
