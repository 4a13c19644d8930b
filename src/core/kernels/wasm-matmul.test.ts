import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff } from '../testing/max-abs-diff';
import { defineAllCustomKernels, selectKernels } from '.';
import { WASM_MATMUL_ID } from './wasm-matmul';

describe('BatchMatMul with a transposed operand on wasm', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    defineAllCustomKernels();
  });
  afterAll(() => selectKernels('stock', 'wasm'));

  for (const [transposeA, transposeB] of [
    [true, false],
    [false, true],
    [true, true],
    [false, false],
  ] as const)
    for (const batch of [[], [3]])
      it(`equals the stock kernel: transposeA ${transposeA}, transposeB ${transposeB}, batch ${batch}`, () => {
        const a = tf.randomNormal([...batch, ...(transposeA ? [7, 5] : [5, 7])], 0, 1, 'float32', 1);
        const b = tf.randomNormal([...batch, ...(transposeB ? [9, 7] : [7, 9])], 0, 1, 'float32', 2);
        selectKernels('stock', 'wasm');
        const stock = tf.matMul(a, b, transposeA, transposeB);
        selectKernels([WASM_MATMUL_ID], 'wasm');
        const before = tf.memory().numTensors;
        const ours = tf.matMul(a, b, transposeA, transposeB);
        // One new tensor: the product (the transposed copies are freed).
        expect(tf.memory().numTensors).toBe(before + 1);
        expect(ours.shape).toEqual([...batch, 5, 9]);
        expect(maxAbsDiff(ours.dataSync(), stock.dataSync())).toBeLessThan(1e-5);
        tf.dispose([a, b, stock, ours]);
      });
});
