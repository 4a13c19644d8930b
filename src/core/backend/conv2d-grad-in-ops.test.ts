import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { conv2dFilterGradInOps } from './conv2d-grad-in-ops';

describe('conv2dFilterGradInOps', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  const cases: Array<{
    x: [number, number, number, number];
    k: number;
    cout: number;
    s: number;
    pad: 'same' | 'valid';
  }> = [
    { x: [2, 8, 8, 3], k: 3, cout: 4, s: 1, pad: 'same' },
    { x: [2, 9, 9, 2], k: 3, cout: 3, s: 2, pad: 'valid' },
    { x: [1, 8, 8, 3], k: 3, cout: 2, s: 2, pad: 'same' },
    { x: [2, 8, 8, 4], k: 1, cout: 5, s: 2, pad: 'valid' },
    { x: [1, 14, 14, 3], k: 7, cout: 2, s: 2, pad: 'valid' },
  ];

  for (const c of cases) {
    it(`matches tfjs's Conv2DBackpropFilter for ${c.k}x${c.k} stride ${c.s} ${c.pad}`, () => {
      const x = tf.randomNormal(c.x, 0, 1, 'float32', 1) as tf.Tensor4D;
      const filterShape: [number, number, number, number] = [c.k, c.k, c.x[3], c.cout];
      const filter = tf.randomNormal(filterShape, 0, 1, 'float32', 2) as tf.Tensor4D;
      const y = tf.conv2d(x, filter, c.s, c.pad);
      const dy = tf.randomNormal(y.shape, 0, 1, 'float32', 3) as tf.Tensor4D;
      // tfjs's own gradient on the CPU backend runs its Conv2DBackpropFilter kernel.
      const reference = tf.grad((f: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, f as tf.Tensor4D, c.s, c.pad), dy)))(
        filter,
      );
      const actual = conv2dFilterGradInOps(x, dy, filterShape, c.s, c.pad);
      expect(actual.shape).toEqual(filterShape);
      const diff = tf.max(tf.abs(tf.sub(actual, reference))).dataSync()[0]!;
      expect(diff).toBeLessThan(1e-3);
      tf.dispose([x, filter, y, dy, reference, actual]);
    });
  }
});
