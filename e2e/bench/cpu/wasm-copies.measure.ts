/**
 * tfjs-backend-wasm's Slice / SplitV / Concat / GatherV2 against ours (src/core/kernels/wasm-copy-kernels.ts) on the
 * copies a wasm training step makes: the crop in the conv filter gradient, the augmentation's channel split
 * and join and row gathers, and a flat parameter vector split into its 45 weights. Run by hand:
 *   npx vitest run -c e2e/bench/cpu/vitest.config.ts wasm-copies
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { it } from 'vitest';
import { defineAllCustomKernels, selectKernels } from '../../../src/core/kernels';
import { WASM_COPIES_ID } from '../../../src/core/kernels/wasm-copy-kernels';

const REPEATS = 5;

function timeMs(op: () => tf.Tensor | tf.Tensor[]): number {
  tf.dispose(op()); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < REPEATS; i++) tf.dispose(op());
  return (performance.now() - t0) / REPEATS;
}

it('wasm copies: stock vs ours', async () => {
  await tf.setBackend('wasm');
  defineAllCustomKernels();
  const activation = tf.randomNormal([64, 32, 32, 32]);
  const views = tf.randomUniform([64, 32, 32, 3]);
  const channels = tf.split(views, 3, -1);
  const flat = tf.randomNormal([557_000]);
  const imageRows = tf.randomUniform([128 * 48, 48, 3]);
  const rowIndex = tf.tensor1d(
    Array.from({ length: 256 * 32 }, (_, i) => (i * 7919) % (128 * 48)),
    'int32',
  );
  const sizes = Array.from({ length: 45 }, (_, i) => (i < 44 ? 12_000 : 557_000 - 44 * 12_000));
  const cases: Array<[string, () => tf.Tensor | tf.Tensor[]]> = [
    ['crop [64,32,32,32] to 31x31', () => tf.slice(activation, [0, 0, 0, 0], [64, 31, 31, 32])],
    ['channel split [64,32,32,3]', () => tf.split(views, 3, -1)],
    ['channel concat 3 x [64,32,32,1]', () => tf.concat(channels, -1)],
    ['split [557000] into 45', () => tf.split(flat, sizes)],
    ['batch halves of [64,32,32,32]', () => tf.split(activation, 2, 0)],
    ['augmentation rows: 8,192 of [48, 3]', () => tf.gather(imageRows, rowIndex)],
  ];
  for (const [name, op] of cases) {
    selectKernels('stock', 'wasm');
    const stock = timeMs(op);
    selectKernels([WASM_COPIES_ID], 'wasm');
    const ours = timeMs(op);
    console.log(`${name.padEnd(34)} stock ${stock.toFixed(2).padStart(8)} ms   ours ${ours.toFixed(2).padStart(7)} ms`);
  }
  selectKernels('stock', 'wasm');
  tf.dispose([activation, views, channels, flat, imageRows, rowIndex]);
});
