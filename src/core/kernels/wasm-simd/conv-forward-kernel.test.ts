import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../random/rng';
import { maxAbsDiff } from '../../testing/max-abs-diff';
import { defineAllCustomKernels, selectKernels } from '..';
import { WASM_CONV_FORWARD_ID } from './conv-forward-kernel';
import { prepareOwnWasmKernels } from './own-module';
import { type ConvCase, caseInfo, caseName, forEachTap, randomValues } from './test-fixtures';

/** y in float64 from the definition. */
function reference(x: Float32Array, f: Float32Array, c: ConvCase): Float64Array {
  const info = caseInfo(c);
  const y = new Float64Array(c.n * info.outHeight * info.outWidth * c.cout);
  forEachTap(c, (xAt, yAt, tapAt) => {
    for (let ci = 0; ci < c.cin; ci++)
      for (let co = 0; co < c.cout; co++) y[yAt + co]! += x[xAt + ci]! * f[(tapAt + ci) * c.cout + co]!;
  });
  return y;
}

const CASES: ConvCase[] = [
  { n: 3, h: 9, w: 9, cin: 5, k: [3, 3], cout: 20, s: [2, 2], pad: 'valid' },
  { n: 2, h: 7, w: 6, cin: 3, k: [3, 3], cout: 8, s: [1, 1], pad: 'same' },
  { n: 2, h: 8, w: 8, cin: 16, k: [3, 3], cout: 32, s: [2, 2], pad: 'same' },
  { n: 4, h: 8, w: 8, cin: 6, k: [1, 1], cout: 16, s: [2, 2], pad: 'valid' },
  { n: 1, h: 11, w: 13, cin: 4, k: [7, 7], cout: 12, s: [2, 2], pad: 3 },
  { n: 2, h: 6, w: 5, cin: 33, k: [2, 3], cout: 4, s: [1, 2], pad: 'same' },
  { n: 5, h: 4, w: 4, cin: 64, k: [3, 3], cout: 48, s: [1, 1], pad: 1 },
  { n: 2, h: 2, w: 3, cin: 4, k: [3, 3], cout: 16, s: [2, 2], pad: 1 },
  { n: 1, h: 3, w: 3, cin: 2, k: [5, 5], cout: 16, s: [1, 1], pad: 'same' },
];

describe('our wasm convolution kernel', () => {
  // The stock kernels ours replace, counted, so a test knows which ran.
  // The stock kernels ours replace, counted, so a test knows which ran. (Only tests and the registry may
  // register kernels: all-kernels.test.ts.)
  const stock = { calls: 0 };
  beforeAll(async () => {
    await tf.setBackend('wasm');
    for (const kernelName of ['Conv2D', 'FusedConv2D']) {
      const config = tf.getKernel(kernelName, 'wasm')!;
      tf.unregisterKernel(kernelName, 'wasm');
      tf.registerKernel({
        ...config,
        kernelFunc: (args) => {
          stock.calls++;
          return config.kernelFunc(args);
        },
      });
    }
    defineAllCustomKernels();
    selectKernels([WASM_CONV_FORWARD_ID], 'wasm');
    expect(await prepareOwnWasmKernels(tf.backend())).not.toBeNull();
  });
  afterAll(() => selectKernels('stock', 'wasm'));

  for (const c of CASES) {
    it(`equals the definition: ${caseName(c)}`, () => {
      const rng = new Rng(c.n * 100 + c.cin + c.cout);
      const info = caseInfo(c);
      const xValues = randomValues(rng, c.n * c.h * c.w * c.cin);
      const fValues = randomValues(rng, c.k[0] * c.k[1] * c.cin * c.cout);
      const expected = reference(xValues, fValues, c);
      const x = tf.tensor4d(xValues, [c.n, c.h, c.w, c.cin]);
      const f = tf.tensor4d(fValues, [...c.k, c.cin, c.cout]);
      // NaN first where the output will be: an element the kernel forgets to write fails the comparison.
      tf.dispose(tf.fill([c.n * info.outHeight * info.outWidth * c.cout], Number.NaN));
      const plain = tf.conv2d(x, f, c.s, c.pad);
      const fused = tf.fused.conv2d({ x, filter: f, strides: c.s, pad: c.pad });
      expect(plain.shape).toEqual([c.n, info.outHeight, info.outWidth, c.cout]);
      expect(maxAbsDiff(plain.dataSync(), expected)).toBeLessThan(1e-4);
      expect(maxAbsDiff(fused.dataSync(), expected)).toBeLessThan(1e-4);
      tf.dispose([x, f, plain, fused]);
      expect(stock.calls).toBe(0);
    });
  }

  it('leaves a bias, an activation and channel counts it does not take to the stock kernels', () => {
    const x = tf.randomNormal([2, 5, 5, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const f = tf.randomNormal([3, 3, 3, 6], 0, 1, 'float32', 2) as tf.Tensor4D;
    const f8 = tf.randomNormal([3, 3, 3, 8], 0, 1, 'float32', 3) as tf.Tensor4D;
    const bias = tf.randomNormal([8], 0, 1, 'float32', 4);
    const odd = tf.conv2d(x, f, 1, 'same');
    const withBias = tf.fused.conv2d({ x, filter: f8, strides: 1, pad: 'same', bias, activation: 'relu' });
    const unfused = tf.relu(tf.add(tf.conv2d(x, f8, 1, 'same'), bias));
    // Both convolutions above went to the stock kernel; the unfused one (no bias in the kernel) to ours.
    expect(stock.calls).toBe(2);
    selectKernels('stock', 'wasm');
    const stockOdd = tf.conv2d(x, f, 1, 'same');
    selectKernels([WASM_CONV_FORWARD_ID], 'wasm');
    expect(maxAbsDiff(odd.dataSync(), stockOdd.dataSync())).toBe(0);
    expect(maxAbsDiff(withBias.dataSync(), unfused.dataSync())).toBeLessThan(1e-4);
    tf.dispose([x, f, f8, bias, odd, withBias, unfused, stockOdd]);
  });
});
