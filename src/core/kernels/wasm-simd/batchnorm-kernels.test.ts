import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../random/rng';
import { maxAbsDiff } from '../../testing/max-abs-diff';
import { defineAllCustomKernels, selectKernels } from '..';
import { batchNormReluReferenceBackward, batchNormReluReferenceForward } from '../batchnorm-relu-reference';
import { randomBatchNormReluCase } from '../test-fixtures';
import { fusedBatchNormRelu, movingAverage } from '../webgpu/batchnorm-relu';
import { WASM_BATCHNORM_RELU_ID } from './batchnorm-kernels';
import { prepareOwnWasmKernels } from './own-module';

// The fused BatchNorm(+residual)+ReLU op of webgpu/batchnorm-relu.ts, run on wasm by our SIMD kernels, against
// the float64 reference (batchnorm-relu-reference.ts): values, statistics, and every gradient.

describe('fused BatchNorm+ReLU on our wasm kernels', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    expect(await prepareOwnWasmKernels(tf.backend())).not.toBeNull();
    defineAllCustomKernels();
    selectKernels([WASM_BATCHNORM_RELU_ID], 'wasm');
  });
  afterAll(() => selectKernels('stock', 'wasm'));

  // 600 rows are 3 partial chunks (the last one short); 6 and 21 channels leave a scalar tail after the vectors.
  for (const [rows, C] of [
    [24, 6],
    [600, 16],
    [600, 21],
  ] as const)
    for (const [relu, withResidual] of [
      [true, false],
      [true, true],
      [false, true],
      [false, false],
    ] as const) {
      it(`[${rows}, ${C}], relu ${relu}, residual ${withResidual}: values, statistics and all gradients`, async () => {
        const rng = new Rng(rows + C + (relu ? 1 : 0) + (withResidual ? 2 : 0));
        const { input, dy } = randomBatchNormReluCase(rng, rows, C, { relu, residual: withResidual, xOffset: 3 });
        const forward = batchNormReluReferenceForward(input);
        const grads = batchNormReluReferenceBackward(input, dy);
        const before = tf.memory().numTensors;
        const shape: [number, number] = [rows, C];
        const xs = tf.tensor2d(input.x, shape);
        const gs = tf.tensor1d(input.gamma);
        const bs = tf.tensor1d(input.beta);
        const rs = input.residual ? tf.tensor2d(input.residual, shape) : null;
        const dys = tf.tensor2d(dy, shape);
        const { y, stats } = fusedBatchNormRelu(xs, gs, bs, { epsilon: 1e-5, relu, residual: rs });
        const s = await stats.data();
        expect(maxAbsDiff(forward.y, await y.data())).toBeLessThan(1e-5);
        expect(maxAbsDiff(forward.mean, s.subarray(0, C))).toBeLessThan(1e-5);
        expect(maxAbsDiff(forward.variance, s.subarray(C))).toBeLessThan(1e-5);
        if (relu) expect(forward.y.some((v) => v === 0)).toBe(true);

        const operands = rs ? [xs, gs, bs, rs] : [xs, gs, bs];
        const ours = tf.grads((...t: tf.Tensor[]) => {
          const out = fusedBatchNormRelu(t[0]!, t[1] as tf.Tensor1D, t[2] as tf.Tensor1D, {
            epsilon: 1e-5,
            relu,
            residual: t[3] ?? null,
          });
          out.stats.dispose();
          return tf.sum(tf.mul(out.y, dys));
        })(operands);
        const expected = [grads.dx, grads.dgamma, grads.dbeta, ...(grads.dresidual ? [grads.dresidual] : [])];
        expect(ours).toHaveLength(expected.length);
        for (let i = 0; i < expected.length; i++) {
          expect(ours[i]!.shape).toEqual(operands[i]!.shape);
          // Sums over up to 600 rows in float32: dgamma and dbeta carry the most rounding.
          expect(maxAbsDiff(expected[i]!, await ours[i]!.data())).toBeLessThan(1e-3);
        }
        tf.dispose([xs, gs, bs, dys, y, stats, ...ours, ...(rs ? [rs] : [])]);
        expect(tf.memory().numTensors).toBe(before);
      });
    }

  it('updates moving statistics as tfjs-layers does', async () => {
    const moving = tf.tensor1d([1, -2, 0.5]);
    const stats = tf.tensor2d([0.2, 0.4, -1, 3, 5, 7], [2, 3]);
    const mean = await movingAverage(moving, stats, 0, 0.9).data();
    const variance = await movingAverage(moving, stats, 1, 0.9).data();
    expect(maxAbsDiff(mean, [1 - 0.8 * 0.1, -2 + 2.4 * 0.1, 0.5 - 1.5 * 0.1])).toBeLessThan(1e-6);
    expect(maxAbsDiff(variance, [1 + 2 * 0.1, -2 + 7 * 0.1, 0.5 + 6.5 * 0.1])).toBeLessThan(1e-6);
    tf.dispose([moving, stats]);
  });
});
