import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../random/rng';
import { maxAbsDiff } from '../testing/max-abs-diff';
import { fitLinearProbe } from './linear-probe';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('fitLinearProbe', () => {
  it('folds the standardization into weights for the raw features: same accuracy, argmax of x W + b', async () => {
    const rng = new Rng(5);
    // 3 classes, 4 features with very different scales and offsets (what standardization is for).
    const rows = 60;
    const labels = Int32Array.from({ length: rows }, (_, i) => i % 3);
    const x = Float32Array.from({ length: rows * 4 }, (_, k) => {
      const row = Math.floor(k / 4);
      const feature = k % 4;
      const signal = feature === labels[row] ? 1 : 0;
      return (signal + 0.3 * rng.uniform(-1, 1)) * 10 ** (feature - 1) + 50 * feature;
    });
    const all = tf.tensor2d(x, [rows, 4]);
    const y = tf.tensor1d(labels, 'int32');
    const train = tf.range(0, 45, 1, 'int32');
    const test = tf.range(45, 60, 1, 'int32');
    const [trainX, testX] = [tf.gather(all, train) as tf.Tensor2D, tf.gather(all, test) as tf.Tensor2D];
    const [trainY, testY] = [tf.gather(y, train) as tf.Tensor1D, tf.gather(y, test) as tf.Tensor1D];
    const fitted = await fitLinearProbe(trainX, trainY, testX, testY, 3);
    expect(fitted.weights.shape).toEqual([4, 3]);
    expect(fitted.bias.shape).toEqual([3]);
    expect(fitted.testAccuracy).toBeGreaterThan(0.9);
    const predicted = tf.argMax(tf.add(tf.matMul(testX, fitted.weights), fitted.bias), 1);
    const right = tf.mean(tf.cast(tf.equal(predicted, testY), 'float32'));
    expect(maxAbsDiff(right.dataSync(), [fitted.testAccuracy])).toBeLessThan(1e-6);
    tf.dispose([all, y, train, test, trainX, testX, trainY, testY, fitted.weights, fitted.bias, predicted, right]);
  });
});
