import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../random/rng';
import { joinChannels, splitChannels } from './color-ops';

// The channel split and join of color-ops.ts (matMul with one-hot columns, multiply-add with one-hot rows)
// must give exactly tf.split's and tf.concat's values: the augmentation tests against the torchvision
// reference run on the CPU backend, the app trains with these on wasm.

afterAll(async () => {
  await tf.setBackend('cpu');
});

function randomViews(rng: Rng, shape: [number, number, number, number]): tf.Tensor4D {
  const values = Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => rng.next());
  // exact 0 and 1 appear in real views (clipped colour ops)
  values[0] = 0;
  values[1] = 1;
  return tf.tensor4d(values, shape);
}

describe.each(['cpu', 'wasm'])('channel split and join on %s', (backend) => {
  it.each([
    [4, 9, 7],
    [64, 32, 32],
  ])('equal tf.split and tf.concat bit for bit at [%i, %i, %i, 3]', async (views, height, width) => {
    await tf.setBackend(backend);
    expect(tf.getBackend()).toBe(backend);
    const before = tf.memory().numTensors;
    const x = randomViews(new Rng(3), [views, height, width, 3]);
    const ours = splitChannels(x);
    const stock = tf.split(x, 3, -1);
    for (let c = 0; c < 3; c++) {
      expect(ours[c]!.shape).toEqual([views, height, width, 1]);
      expect(await ours[c]!.data()).toEqual(await stock[c]!.data());
    }
    // join in a different order than split, so a join that ignores its arguments' order fails
    const joined = joinChannels(ours[2], ours[0], ours[1]);
    const stockJoined = tf.concat([stock[2]!, stock[0]!, stock[1]!], -1);
    expect(joined.shape).toEqual([views, height, width, 3]);
    expect(await joined.data()).toEqual(await stockJoined.data());
    tf.dispose([x, ...ours, ...stock, joined, stockJoined]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
