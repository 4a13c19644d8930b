import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../random/rng';
import { defineAllCustomKernels, selectKernels } from '.';
import { copyBox, WASM_COPIES_ID } from './wasm-copy-kernels';

type Case = () => tf.Tensor | tf.Tensor[];

/** Values that differ everywhere, so a copy from the wrong place cannot match. */
function counting(shape: number[], dtype: 'float32' | 'int32' = 'float32'): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Array.from({ length: size }, (_, i) => (dtype === 'int32' ? i * 7 - 3 : i * 0.37 - 11.5)),
    shape,
    dtype,
  );
}

function randomBox(rng: Rng, shape: number[]): { begin: number[]; size: number[] } {
  const begin = shape.map((n) => Math.floor(rng.next() * n));
  const size = shape.map((n, d) => (rng.next() < 0.4 ? n - begin[d]! : 1 + Math.floor(rng.next() * (n - begin[d]!))));
  return { begin, size };
}

/** Slices, splits, unstacks and concats of every rank up to 5, both dtypes, every axis. */
function cases(): Array<[string, Case]> {
  const rng = new Rng(5);
  const list: Array<[string, Case]> = [];
  const shapes = [[37], [5, 9], [3, 4, 6], [2, 5, 7, 3], [2, 3, 4, 5, 2], [64, 8, 8, 3]];
  for (const shape of shapes) {
    for (let k = 0; k < 4; k++) {
      const { begin, size } = randomBox(rng, shape);
      list.push([`slice ${shape} at ${begin} size ${size}`, () => tf.slice(counting(shape), begin, size)]);
    }
    list.push([
      `slice int32 ${shape}`,
      () =>
        tf.slice(
          counting(shape, 'int32'),
          shape.map(() => 0),
          shape.map((n) => Math.max(1, n - 1)),
        ),
    ]);
    shape.forEach((n, axis) => {
      if (n > 1) list.push([`split ${shape} axis ${axis}`, () => tf.split(counting(shape), [1, n - 1], axis)]);
      list.push([`unstack ${shape} axis ${axis}`, () => tf.unstack(counting(shape, 'int32'), axis)]);
      const other = [...shape];
      other[axis] = 2;
      list.push([
        `concat ${shape} axis ${axis}`,
        () => tf.concat([counting(shape), counting(other), counting(shape)], axis),
      ]);
    });
  }
  for (const [shape, axis] of [
    [[48, 48, 3], 0],
    [[4, 6, 5], 1],
    [[3, 5, 7], 2],
  ] as const) {
    const index = Array.from({ length: 9 }, () => Math.floor(rng.next() * shape[axis]));
    list.push([
      `gather ${shape} axis ${axis}`,
      () => tf.gather(counting([...shape]), tf.tensor1d(index, 'int32'), axis),
    ]);
    list.push([
      `gather int32 2-D index ${shape}`,
      () => tf.gather(counting([...shape], 'int32'), tf.tensor2d(index.slice(0, 8), [2, 4], 'int32'), axis),
    ]);
  }
  list.push(['bool slice', () => tf.slice(tf.greater(counting([4, 6]), 0), [1, 2], [2, 3])]);
  list.push(['channel split and join', () => tf.concat(tf.split(counting([8, 5, 5, 3]), 3, -1).reverse(), -1)]);
  return list;
}

async function run(list: Array<[string, Case]>): Promise<Map<string, number[][]>> {
  const results = new Map<string, number[][]>();
  for (const [name, make] of list) {
    const out = tf.tidy(make);
    const parts = Array.isArray(out) ? out : [out];
    results.set(name, await Promise.all(parts.map(async (t) => [...t.shape, -1, ...(await t.data())])));
    tf.dispose(parts);
  }
  return results;
}

describe('wasm copy kernels (Slice, SplitV, Unpack, Concat, GatherV2 reading the heap in place)', () => {
  let expected: Map<string, number[][]>;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    expected = await run(cases());
    await tf.setBackend('wasm');
    defineAllCustomKernels();
  });
  afterAll(async () => {
    selectKernels('stock', 'wasm');
    await tf.setBackend('cpu');
  });

  it('copies exactly what the cpu backend copies, and replaces the stock kernels while on', async () => {
    const stockSlice = tf.getKernel('Slice', 'wasm')!.kernelFunc;
    expect(selectKernels([WASM_COPIES_ID], 'wasm')).toContain(WASM_COPIES_ID);
    expect(tf.getKernel('Slice', 'wasm')!.kernelFunc).not.toBe(stockSlice);
    const got = await run(cases());
    for (const [name, values] of expected) expect(got.get(name), name).toEqual(values);
    selectKernels('stock', 'wasm');
    expect(tf.getKernel('Slice', 'wasm')!.kernelFunc).toBe(stockSlice);
  });

  it('clones by sharing the data, which outlives the original and is freed with the last holder', () => {
    selectKernels([WASM_COPIES_ID], 'wasm');
    const x = counting([4, 5]);
    const values = x.dataSync().slice();
    const copy = tf.clone(x);
    expect(copy.dataId).toBe(x.dataId);
    expect(tf.backend().refCount(x.dataId)).toBe(2);
    x.dispose();
    expect(copy.dataSync()).toEqual(values);
    copy.dispose();
    expect(tf.backend().refCount(copy.dataId)).toBe(0);
    selectKernels('stock', 'wasm');
  });

  it('refuses an index out of range, as tfjs does', () => {
    selectKernels([WASM_COPIES_ID], 'wasm');
    expect(() => tf.gather(counting([3, 2]), tf.tensor1d([0, 3], 'int32'))).toThrow(/index value 3 is not in \[0, 2\]/);
    selectKernels('stock', 'wasm');
  });

  it('leaves string tensors to the stock kernels', () => {
    selectKernels([WASM_COPIES_ID], 'wasm');
    const words = tf.tensor2d([
      ['a', 'b', 'c'],
      ['d', 'e', 'f'],
    ]);
    expect(tf.slice(words, [0, 1], [2, 2]).arraySync()).toEqual([
      ['b', 'c'],
      ['e', 'f'],
    ]);
    expect(tf.concat([words, words], 1).shape).toEqual([2, 6]);
    selectKernels('stock', 'wasm');
  });
});

describe('copyBox', () => {
  it('merges the trailing axes a box keeps whole into one run and walks the rest', () => {
    const src = Float32Array.from({ length: 2 * 3 * 4 }, (_, i) => i);
    const dst = new Float32Array(2 * 2 * 4);
    copyBox(src, [2, 3, 4], [0, 1, 0], [2, 2, 4], dst);
    expect([...dst]).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 23]);
    const column = new Float32Array(6);
    copyBox(src, [2, 3, 4], [0, 0, 3], [2, 3, 1], column);
    expect([...column]).toEqual([3, 7, 11, 15, 19, 23]);
  });
});
