import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { weightedKnnAccuracy } from './knn';
import { labelCounts, labelsFromPaths, majorityShare, parentFolder } from './labels';
import { linearProbe } from './linear-probe';
import { pca2d } from './pca';
import { evalSplit } from './split';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('weightedKnnAccuracy', () => {
  // Bank: A (1,0) class 0; B (0,1) and C (0.28,0.96) class 1. Query (0.96,0.28), class 0.
  // Similarities: A 0.96, B 0.28, C 0.5376.
  const bank = () =>
    tf.tensor2d([
      [1, 0],
      [0, 1],
      [0.28, 0.96],
    ]);
  const bankLabels = () => tf.tensor1d([0, 1, 1], 'int32');
  const query = () => tf.tensor2d([[0.96, 0.28]]);
  const queryLabels = () => tf.tensor1d([0], 'int32');
  const accuracy = async (k: number, t: number) =>
    (await weightedKnnAccuracy(bank(), bankLabels(), query(), queryLabels(), 2, k, t).data())[0];

  it('k = 1 takes the nearest neighbour', async () => {
    expect(await accuracy(1, 0.1)).toBe(1);
  });
  it('k = 3 at t = 0.1: e^9.6 for class 0 outweighs e^2.8 + e^5.376 for class 1', async () => {
    expect(await accuracy(3, 0.1)).toBe(1);
  });
  it('k = 3 at t = 10: votes are nearly equal, two class-1 neighbours win (1.10 < 1.03 + 1.06)', async () => {
    expect(await accuracy(3, 10)).toBe(0);
  });
  it('k larger than the bank is capped', async () => {
    expect(await accuracy(200, 0.1)).toBe(1);
  });
});

describe('pca2d', () => {
  it('recovers the two directions of largest variance, with fixed signs', async () => {
    const t = [-4, -2, 0, 1, 2, 3];
    // s is made uncorrelated with t (Gram-Schmidt), so the principal axes are exactly u and w.
    const raw = [0.5, -0.3, 0.2, -0.4, 0.1, -0.1];
    const tc = t.map((v) => v - t.reduce((a, b) => a + b) / t.length);
    const dot = (p: number[], q: number[]) => p.reduce((acc, v, i) => acc + v * q[i]!, 0);
    const s = raw.map((v, i) => v - (dot(raw, tc) / dot(tc, tc)) * tc[i]!);
    // x = 10 + t * (0.6, 0.8, 0) + s * (0, 0, 1)
    const x = tf.tensor2d(t.map((ti, i) => [10 + 0.6 * ti, 10 + 0.8 * ti, s[i]!]));
    const projected = await pca2d(x).array();
    const meanT = t.reduce((a, b) => a + b) / t.length;
    const meanS = s.reduce((a, b) => a + b) / s.length;
    projected.forEach(([a, b], i) => {
      expect(a).toBeCloseTo(t[i]! - meanT, 3);
      expect(b).toBeCloseTo(s[i]! - meanS, 3);
    });
  });
});

describe('linearProbe', () => {
  it('separates linearly separable classes on held-out points and cannot beat chance on constant features', async () => {
    const point = (c: number, i: number) => [c * 2 - 1 + 0.1 * Math.sin(i), 0.3 * Math.cos(i * 1.7)];
    const trainX = tf.tensor2d(Array.from({ length: 20 }, (_, i) => point(i % 2, i)));
    const trainY = tf.tensor1d(
      Array.from({ length: 20 }, (_, i) => i % 2),
      'int32',
    );
    const testX = tf.tensor2d(Array.from({ length: 6 }, (_, i) => point(i % 2, i + 100)));
    const testY = tf.tensor1d(
      Array.from({ length: 6 }, (_, i) => i % 2),
      'int32',
    );
    const result = await linearProbe(trainX, trainY, testX, testY, 2);
    expect(result.trainAccuracy).toBe(1);
    expect(result.testAccuracy).toBe(1);
    // Constant features: every prediction is the same class, so exactly half of a balanced test set.
    const constant = await linearProbe(tf.ones([20, 2]), trainY, tf.ones([6, 2]), testY, 2);
    expect(constant.testAccuracy).toBeCloseTo(0.5, 6);
  });
});

describe('labels and split', () => {
  it('labels are parent folder names when there are at least two folders', () => {
    expect(parentFolder('fashion-mnist/coat/00019.png')).toBe('coat');
    expect(parentFolder('x.png')).toBe('');
    const labelled = labelsFromPaths(['s/b/1.png', 's/a/2.png', 's/b/3.png']);
    expect(labelled).toEqual({ names: ['a', 'b'], labels: Int32Array.from([1, 0, 1]) });
    expect(labelsFromPaths(['s/a/1.png', 's/a/2.png'])).toHaveProperty('reason');
    expect(labelsFromPaths(['1.png', 's/a/2.png'])).toHaveProperty('reason');
  });

  it('split is seeded, disjoint, covers the sample, and caps the sample size', () => {
    const a = evalSplit(100, 40, 0.25, 7);
    expect(a).toEqual(evalSplit(100, 40, 0.25, 7));
    expect(a.sample.length).toBe(40);
    expect(a.test.length).toBe(10);
    expect(new Set([...a.test, ...a.train]).size).toBe(40);
    expect(new Set(a.sample).size).toBe(40);
    expect(evalSplit(100, 40, 0.25, 8).sample).not.toEqual(a.sample);
    expect(evalSplit(3, 10, 0.01, 1).test.length).toBe(1);
  });
});

describe('label baseline', () => {
  it('is the share of the largest class, not 1 / classes, when the classes are unbalanced', () => {
    // 7 of 12 in class 0 (58%), as in a folder that holds most of the images.
    const labels = [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2];
    expect(majorityShare(labels)).toBeCloseTo(7 / 12, 12);
    expect(majorityShare([2, 1, 0])).toBeCloseTo(1 / 3, 12);
    expect(majorityShare([])).toBeNaN();
    expect(labelCounts(labels, 3)).toEqual([7, 3, 2]);
    expect(labelCounts([1], 3)).toEqual([0, 1, 0]);
  });
});
