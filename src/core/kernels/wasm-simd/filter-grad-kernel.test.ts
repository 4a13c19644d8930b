import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWasmConv2dFilterGrad } from '../../backend/conv2d-grad-in-ops';
import { Rng } from '../../random/rng';
import { maxAbsDiff } from '../../testing/max-abs-diff';
import { spawnNodeKernelThread } from '../../testing/node-kernel-threads';
import { defineAllCustomKernels, selectKernels } from '..';
import { WASM_FILTER_GRAD_ID } from './filter-grad-kernel';
import { type OwnWasmKernels, prepareOwnWasmKernels, releaseOwnWasmKernels, runOwnKernel } from './own-module';
import { type ConvCase, caseInfo, caseName, forEachTap, randomValues } from './test-fixtures';

/** dW in float64 from the definition. */
function reference(x: Float32Array, dy: Float32Array, c: ConvCase): Float64Array {
  const out = new Float64Array(c.k[0] * c.k[1] * c.cin * c.cout);
  forEachTap(c, (xAt, yAt, tapAt) => {
    for (let ci = 0; ci < c.cin; ci++)
      for (let co = 0; co < c.cout; co++) out[(tapAt + ci) * c.cout + co]! += x[xAt + ci]! * dy[yAt + co]!;
  });
  return out;
}

const CASES: ConvCase[] = [
  { n: 3, h: 9, w: 9, cin: 5, k: [3, 3], cout: 20, s: [2, 2], pad: 'valid' },
  { n: 2, h: 7, w: 6, cin: 3, k: [3, 3], cout: 8, s: [1, 1], pad: 'same' },
  { n: 2, h: 8, w: 8, cin: 16, k: [3, 3], cout: 32, s: [2, 2], pad: 'same' },
  { n: 4, h: 8, w: 8, cin: 6, k: [1, 1], cout: 16, s: [2, 2], pad: 'valid' },
  { n: 1, h: 11, w: 13, cin: 4, k: [7, 7], cout: 12, s: [2, 2], pad: 3 },
  { n: 2, h: 6, w: 5, cin: 33, k: [2, 3], cout: 4, s: [1, 2], pad: 'same' },
  { n: 5, h: 4, w: 4, cin: 64, k: [3, 3], cout: 48, s: [1, 1], pad: 1 },
];

function check(c: ConvCase, run: (x: tf.Tensor4D, dy: tf.Tensor4D, info: tf.backend_util.Conv2DInfo) => Float32Array) {
  const rng = new Rng(c.n * 1000 + c.cin * 10 + c.cout);
  const info = caseInfo(c);
  const xValues = randomValues(rng, c.n * c.h * c.w * c.cin);
  const dyValues = randomValues(rng, c.n * info.outHeight * info.outWidth * c.cout);
  const x = tf.tensor4d(xValues, [c.n, c.h, c.w, c.cin]);
  const dy = tf.tensor4d(dyValues, [c.n, info.outHeight, info.outWidth, c.cout]);
  const ours = run(x, dy, info);
  const expected = reference(xValues, dyValues, c);
  tf.dispose([x, dy]);
  // Sums of up to a few hundred products of values in [-1, 1]: float32 rounding stays far below 1e-4.
  expect(maxAbsDiff(ours, expected)).toBeLessThan(1e-4);
}

describe('our wasm filter-gradient kernel', () => {
  // The kernel ours replaces (the ops-based one), counted, so a test knows which of the two ran.
  const fallback = { calls: 0 };
  beforeAll(async () => {
    await tf.setBackend('wasm');
    registerWasmConv2dFilterGrad();
    for (const kernelName of ['Conv2DBackpropFilter']) {
      const config = tf.getKernel(kernelName, 'wasm')!;
      tf.unregisterKernel(kernelName, 'wasm');
      tf.registerKernel({
        ...config,
        kernelFunc: (args) => {
          fallback.calls++;
          return config.kernelFunc(args);
        },
      });
    }
    defineAllCustomKernels();
    selectKernels([WASM_FILTER_GRAD_ID], 'wasm');
    expect(await prepareOwnWasmKernels(tf.backend())).not.toBeNull();
  });
  afterAll(() => selectKernels('stock', 'wasm'));

  for (const c of CASES) {
    it(`equals the definition: ${caseName(c)}`, () =>
      check(c, (x, dy) => {
        const dw = tf.engine().runKernel(
          'Conv2DBackpropFilter',
          { x, dy },
          {
            strides: c.s,
            pad: c.pad,
            dataFormat: 'NHWC',
            filterShape: [c.k[0], c.k[1], c.cin, c.cout],
          },
        ) as tf.Tensor;
        const values = dw.dataSync() as Float32Array;
        dw.dispose();
        expect(fallback.calls).toBe(0);
        return values;
      }));
  }

  it('leaves an output channel count that is not a multiple of 4 to the kernel it replaced', () => {
    const c: ConvCase = { n: 2, h: 5, w: 5, cin: 3, k: [3, 3], cout: 6, s: [1, 1], pad: 'same' };
    const run = (x: tf.Tensor4D, dy: tf.Tensor4D) => {
      const dw = tf.grad((f: tf.Tensor) => tf.mul(tf.conv2d(x, f as tf.Tensor4D, c.s, c.pad), dy).sum())(
        tf.zeros([3, 3, c.cin, c.cout]) as tf.Tensor4D,
      );
      const values = dw.dataSync() as Float32Array;
      dw.dispose();
      return values;
    };
    check(c, run);
    expect(fallback.calls).toBe(1);
  });
});

describe('our wasm kernels on threads over a shared heap', () => {
  const memory = new WebAssembly.Memory({ initial: 64, maximum: 65536, shared: true });
  // Stand-ins for a threaded tfjs-backend-wasm: prepareOwnWasmKernels only reads the module's memory.
  const threaded = { wasm: { wasmMemory: memory } } as unknown as tf.KernelBackend;
  const single = { wasm: { wasmMemory: memory } } as unknown as tf.KernelBackend;
  let own: OwnWasmKernels;
  let one: OwnWasmKernels;
  beforeAll(async () => {
    own = (await prepareOwnWasmKernels(threaded, 2, spawnNodeKernelThread))!;
    one = (await prepareOwnWasmKernels(single))!;
    expect(own.threads).toBe(2);
    expect(one.threads).toBe(1);
  });
  afterAll(() => {
    releaseOwnWasmKernels(threaded);
    releaseOwnWasmKernels(single);
  });

  it('split by images across two threads, the per-thread sums add up to the one-thread result', async () => {
    const [n, h, w, cin, cout] = [16, 8, 8, 8, 16];
    const size = 9 * cin * cout;
    const heap = new Float32Array(memory.buffer);
    const rng = new Rng(3);
    const [xAt, dyAt] = [0, n * h * w * cin];
    const outAt = dyAt + n * h * w * cout;
    const oneAt = outAt + 2 * size;
    heap.set(randomValues(rng, outAt));
    const call = (own: OwnWasmKernels, out: number) => {
      heap.fill(0, out, out + own.threads * size);
      runOwnKernel(own, 'filterGrad', {
        firstImage: 0,
        endImage: n,
        args: [xAt * 4, dyAt * 4, out * 4, h, w, cin, h, w, cout, 3, 3, 1, 1, 1, 1],
        perThreadOut: { outArg: 2, outStride: size * 4 },
      });
    };
    call(one, oneAt);
    let helped = false;
    // The helper thread starts in the background; until it does, this thread takes every part.
    for (let attempt = 0; attempt < 50 && !helped; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      call(own, outAt);
      helped = heap.subarray(outAt + size, outAt + 2 * size).some((v) => v !== 0);
      let worst = 0;
      for (let i = 0; i < size; i++)
        worst = Math.max(worst, Math.abs(heap[outAt + i]! + heap[outAt + size + i]! - heap[oneAt + i]!));
      expect(worst).toBeLessThan(1e-4);
    }
    expect(helped).toBe(true);
  });
});
