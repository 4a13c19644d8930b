import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../random/rng';
import { maxAbsDiff } from '../testing/max-abs-diff';
import { defineAllCustomKernels, selectKernels } from '.';
import { cropByDepthwise, PAD_GRAD_CROP_ID } from './pad-grad-crop';

// The PadV2 gradient as a one-hot depthwise convolution (pad-grad-crop.ts) against tf.slice, bit for bit,
// and through tf.grads of tf.pad with the kernel on and off (ZeroPadding2D's shapes in the small ResNet).

beforeAll(async () => {
  await tf.setBackend('wasm');
  defineAllCustomKernels();
});
afterAll(async () => {
  selectKernels('stock', 'wasm');
  await tf.setBackend('cpu');
});

const random = (rng: Rng, shape: [number, number, number, number]) =>
  tf.tensor4d(
    Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => 4 * rng.next() - 2),
    shape,
  );

describe('PadV2 gradient crop on wasm', () => {
  it.each([
    [[4, 10, 10, 8], 1, 1, 1, 1],
    [[2, 9, 12, 5], 2, 0, 1, 3],
    [[64, 34, 34, 32], 1, 1, 1, 1],
  ] as const)(
    'crop of %j (top %i bottom %i left %i right %i) equals tf.slice exactly',
    async (shape, pt, pb, pl, pr) => {
      const dy = random(new Rng(shape[3]), [...shape]);
      const [h, w] = [shape[1] - pt - pb, shape[2] - pl - pr];
      const ours = cropByDepthwise(dy, [
        [0, 0],
        [pt, pb],
        [pl, pr],
        [0, 0],
      ]);
      const stock = tf.slice(dy, [0, pt, pl, 0], [shape[0], h, w, shape[3]]);
      expect(ours.shape).toEqual(stock.shape);
      expect(maxAbsDiff(await ours.data(), await stock.data())).toBe(0);
      tf.dispose([dy, ours, stock]);
    },
  );

  it('tf.grads of tf.pad gives the same gradient with the kernel on and off, and only on runs no Slice', async () => {
    const rng = new Rng(9);
    const x = random(rng, [8, 16, 16, 12]);
    const dy = random(rng, [8, 18, 18, 12]);
    const paddings: Array<[number, number]> = [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ];
    const gradient = async () => {
      const profile = await tf.profile(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.pad(t, paddings), dy)))(x));
      const result = profile.result as tf.Tensor;
      const values = await result.data();
      result.dispose();
      return { values, kernels: profile.kernels.map((k) => k.name) };
    };
    expect(selectKernels([PAD_GRAD_CROP_ID], 'wasm')).toEqual([PAD_GRAD_CROP_ID]);
    const on = await gradient();
    expect(selectKernels('stock', 'wasm')).toEqual([]);
    const off = await gradient();
    expect(on.kernels).not.toContain('Slice');
    expect(off.kernels).toContain('Slice');
    expect(maxAbsDiff(on.values, off.values)).toBe(0);
    tf.dispose([x, dy]);
  });
});
