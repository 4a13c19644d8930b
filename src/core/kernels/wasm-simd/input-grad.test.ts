import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../random/rng';
import { maxAbsDiff } from '../../testing/max-abs-diff';
import { inputGradInWasm } from './input-grad';
import { prepareOwnWasmKernels } from './own-module';
import { type ConvCase, caseInfo, caseName, forEachTap } from './test-fixtures';

/** dx in float64 from the definition: each dy element spread over the inputs its window read. */
function reference(dy: Float32Array, f: Float32Array, c: ConvCase): Float64Array {
  const dx = new Float64Array(c.n * c.h * c.w * c.cin);
  forEachTap(c, (xAt, yAt, tapAt) => {
    for (let ci = 0; ci < c.cin; ci++)
      for (let co = 0; co < c.cout; co++) dx[xAt + ci]! += dy[yAt + co]! * f[(tapAt + ci) * c.cout + co]!;
  });
  return dx;
}

const CASES: ConvCase[] = [
  { n: 2, h: 9, w: 9, cin: 4, k: [3, 3], cout: 20, s: [2, 2], pad: 'valid' },
  { n: 2, h: 8, w: 8, cin: 16, k: [3, 3], cout: 32, s: [2, 2], pad: 'same' },
  { n: 1, h: 11, w: 13, cin: 4, k: [7, 7], cout: 12, s: [2, 2], pad: 3 },
  { n: 2, h: 6, w: 5, cin: 32, k: [2, 3], cout: 3, s: [1, 2], pad: 'same' },
  { n: 3, h: 8, w: 8, cin: 20, k: [1, 1], cout: 16, s: [2, 2], pad: 'valid' },
  { n: 1, h: 9, w: 9, cin: 36, k: [5, 5], cout: 4, s: [3, 3], pad: 2 },
  { n: 1, h: 2, w: 2, cin: 4, k: [3, 3], cout: 16, s: [2, 2], pad: 1 },
  // Stride 1: a convolution with the filter mirrored.
  { n: 2, h: 8, w: 8, cin: 16, k: [3, 3], cout: 16, s: [1, 1], pad: 'same' },
  { n: 2, h: 7, w: 6, cin: 8, k: [3, 3], cout: 5, s: [1, 1], pad: 'valid' },
  { n: 1, h: 9, w: 9, cin: 20, k: [5, 5], cout: 12, s: [1, 1], pad: 1 },
  { n: 3, h: 4, w: 4, cin: 32, k: [1, 1], cout: 64, s: [1, 1], pad: 'same' },
  { n: 1, h: 6, w: 7, cin: 4, k: [2, 3], cout: 8, s: [1, 1], pad: 'same' },
];

describe('our wasm input gradient of convolutions', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    expect(await prepareOwnWasmKernels(tf.backend())).not.toBeNull();
  });

  for (const c of CASES) {
    it(`equals the definition: ${caseName(c)}`, () => {
      const rng = new Rng(c.n * 10 + c.cin + c.cout);
      const filterShape: [number, number, number, number] = [...c.k, c.cin, c.cout];
      const info = caseInfo(c);
      const dyValues = Float32Array.from(
        { length: c.n * info.outHeight * info.outWidth * c.cout },
        () => rng.next() - 0.5,
      );
      const fValues = Float32Array.from({ length: c.k[0] * c.k[1] * c.cin * c.cout }, () => rng.next() - 0.5);
      const dy = tf.tensor4d(dyValues, [c.n, info.outHeight, info.outWidth, c.cout]);
      const filter = tf.tensor4d(fValues, filterShape);
      // NaN first where dx will be: an element the kernel forgets to write fails the comparison.
      tf.dispose(tf.fill([c.n * c.h * c.w * c.cin], Number.NaN));
      const inputShape: [number, number, number, number] = [c.n, c.h, c.w, c.cin];
      const dx = inputGradInWasm(tf.backend(), { dy, filter, inputShape, strides: c.s, pad: c.pad });
      expect(dx).not.toBeNull();
      const result = tf.engine().makeTensorFromTensorInfo(dx!);
      expect(result.shape).toEqual(inputShape);
      expect(maxAbsDiff(result.dataSync(), reference(dyValues, fValues, c))).toBeLessThan(1e-4);
      tf.dispose([dy, filter, result]);
    });
  }

  it('leaves Cin not a multiple of 4 and padding wider than the kernel to the convolution path', () => {
    const dy = tf.zeros([1, 8, 8, 8]);
    const filter = tf.zeros([3, 3, 4, 8]);
    const filter3 = tf.zeros([3, 3, 3, 8]);
    const wide = { dy, filter, inputShape: [1, 4, 4, 4] as [number, number, number, number], strides: 1, pad: 3 };
    expect(inputGradInWasm(tf.backend(), wide)).toBeNull();
    expect(
      inputGradInWasm(tf.backend(), { dy, filter: filter3, inputShape: [1, 8, 8, 3], strides: 1, pad: 'same' }),
    ).toBeNull();
    tf.dispose([dy, filter, filter3]);
  });
});
