import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWasmConvGradients } from '../kernels';
import { conv2dFilterGradInOps, conv2dInputGradInOps } from './conv2d-grad-in-ops';

type Pad = 'same' | 'valid' | number;
const cases: Array<{
  x: [number, number, number, number];
  k: number;
  cout: number;
  s: number;
  pad: Pad;
}> = [
  { x: [2, 8, 8, 3], k: 3, cout: 4, s: 1, pad: 'same' },
  { x: [2, 9, 9, 2], k: 3, cout: 3, s: 2, pad: 'valid' },
  { x: [2, 8, 8, 2], k: 3, cout: 3, s: 2, pad: 'valid' },
  { x: [1, 8, 8, 3], k: 3, cout: 2, s: 2, pad: 'same' },
  { x: [1, 7, 7, 3], k: 3, cout: 2, s: 2, pad: 'same' },
  { x: [2, 8, 8, 4], k: 1, cout: 5, s: 2, pad: 'valid' },
  { x: [2, 8, 8, 4], k: 1, cout: 5, s: 1, pad: 'same' },
  { x: [2, 6, 6, 3], k: 3, cout: 4, s: 1, pad: 1 },
  { x: [2, 9, 9, 3], k: 3, cout: 4, s: 2, pad: 1 },
  { x: [2, 8, 8, 2], k: 3, cout: 2, s: 1, pad: 2 },
  { x: [1, 14, 14, 3], k: 7, cout: 2, s: 2, pad: 'valid' },
  { x: [1, 14, 14, 3], k: 7, cout: 2, s: 2, pad: 3 },
  // 1x1 as matMuls (conv2d-grad-matmul.ts): stride 1, stride 2 on odd sizes, and explicit padding (conv path).
  { x: [2, 8, 8, 4], k: 1, cout: 5, s: 1, pad: 'valid' },
  { x: [2, 7, 7, 4], k: 1, cout: 6, s: 2, pad: 'valid' },
  { x: [2, 7, 7, 4], k: 1, cout: 6, s: 2, pad: 'same' },
  { x: [1, 6, 6, 3], k: 1, cout: 4, s: 2, pad: 1 },
  // Filters of 9*64*64 weights and more flip by a permutation matMul.
  { x: [1, 4, 4, 64], k: 3, cout: 64, s: 1, pad: 'same' },
  { x: [1, 10, 10, 64], k: 3, cout: 80, s: 2, pad: 'valid' },
  // Cin a multiple of 4 at stride 2: on wasm the input gradient is our own strided kernel.
  { x: [2, 9, 9, 8], k: 3, cout: 6, s: 2, pad: 'same' },
  { x: [2, 11, 10, 12], k: 5, cout: 16, s: 2, pad: 2 },
  { x: [3, 8, 8, 20], k: 1, cout: 7, s: 2, pad: 'valid' },
];

describe('conv2dFilterGradInOps', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  for (const c of cases) {
    it(`matches tfjs's Conv2DBackpropFilter for ${c.x.join('x')} ${c.k}x${c.k} stride ${c.s} pad ${c.pad}`, () => {
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
      const scale = tf.max(tf.abs(reference)).dataSync()[0]!;
      const diff = tf.max(tf.abs(tf.sub(actual, reference))).dataSync()[0]!;
      expect(scale).toBeGreaterThan(0.1);
      expect(diff).toBeLessThan(1e-4 * Math.max(1, scale));
      tf.dispose([x, filter, y, dy, reference, actual]);
    });
  }
});

/** tfjs's own gradients of conv2d on the CPU backend: [dx, dW]. */
function referenceGrads(x: tf.Tensor4D, filter: tf.Tensor4D, dy: tf.Tensor4D, s: number, pad: Pad): tf.Tensor[] {
  return tf.grads((a: tf.Tensor, f: tf.Tensor) =>
    tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, f as tf.Tensor4D, s, pad), dy)),
  )([x, filter]);
}

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

describe('conv2dInputGradInOps', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  for (const c of cases) {
    it(`matches tfjs's Conv2DBackpropInput for ${c.x.join('x')} ${c.k}x${c.k} stride ${c.s} pad ${c.pad}`, () => {
      const x = tf.randomNormal(c.x, 0, 1, 'float32', 1) as tf.Tensor4D;
      const filter = tf.randomNormal([c.k, c.k, c.x[3], c.cout], 0, 1, 'float32', 2) as tf.Tensor4D;
      const y = tf.conv2d(x, filter, c.s, c.pad);
      const dy = tf.randomNormal(y.shape, 0, 1, 'float32', 3) as tf.Tensor4D;
      const [dx] = referenceGrads(x, filter, dy, c.s, c.pad);
      const actual = conv2dInputGradInOps(c.x, dy, filter, c.s, c.pad);
      expect(actual.shape).toEqual(c.x);
      expect(maxDiff(actual, dx!)).toBeLessThan(1e-4 * 10);
      tf.dispose([x, filter, y, dy, dx!, actual]);
    });
  }
});

/** The same gradients computed on the wasm backend (XNNPACK convolutions, with our kernels registered). */
describe('conv2d gradients on the wasm backend', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    await registerWasmConvGradients();
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });
  for (const c of cases) {
    it(`match the CPU backend's for ${c.x.join('x')} ${c.k}x${c.k} stride ${c.s} pad ${c.pad}`, async () => {
      await tf.setBackend('cpu');
      const values = [
        tf.randomNormal(c.x, 0, 1, 'float32', 1),
        tf.randomNormal([c.k, c.k, c.x[3], c.cout], 0, 1, 'float32', 2),
      ];
      const dyShape = tf.conv2d(values[0] as tf.Tensor4D, values[1] as tf.Tensor4D, c.s, c.pad).shape;
      values.push(tf.randomNormal(dyShape, 0, 1, 'float32', 3));
      const [x, filter, dy] = values as tf.Tensor4D[];
      const references = referenceGrads(x!, filter!, dy!, c.s, c.pad);
      const expected = await Promise.all(references.map((t) => t.array()));
      tf.dispose(references);
      const data = await Promise.all(values.map((t) => t.array()));
      tf.dispose(values);
      await tf.setBackend('wasm');
      const [wx, wf, wdy] = data.map((d) => tf.tensor4d(d as number[][][][]));
      // tf.grads runs the kernels registered for wasm: ours for both gradients.
      const actual = referenceGrads(wx!, wf!, wdy!, c.s, c.pad);
      for (let i = 0; i < 2; i++) expect(maxDiff(actual[i]!, tf.tensor(expected[i]!))).toBeLessThan(1e-3);
      tf.dispose([wx!, wf!, wdy!, ...actual]);
    });
  }
});
