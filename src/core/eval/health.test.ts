import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { collapseVerdict } from '../../protocol/evaluation';
import { batchHealth } from './health';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function health(z: number[][], h: number[][] = z, bins = 40) {
  const result = batchHealth(tf.tensor2d(z), tf.tensor2d(h), bins);
  const [pos, neg, scalars, std] = await Promise.all([
    result.positiveHistogram.data(),
    result.negativeHistogram.data(),
    result.scalars.data(),
    result.representationStd.data(),
  ]);
  tf.dispose([result.positiveHistogram, result.negativeHistogram, result.scalars, result.representationStd]);
  return {
    pos: [...pos],
    neg: [...neg],
    top1: scalars[0]!,
    top5: scalars[1]!,
    align: scalars[2]!,
    uniform: scalars[3]!,
    std: std[0]!,
  };
}

describe('batchHealth', () => {
  it('perfectly aligned, orthogonal images (N = 2), values worked out by hand', async () => {
    // views 0,1 are first views of images 0,1; views 2,3 their second views.
    const r = await health([
      [1, 0],
      [0, 2],
      [3, 0],
      [0, 1],
    ]);
    // Positives: 4 ordered pairs at similarity 1 -> last bin; negatives: 8 ordered pairs at 0 -> bin 20 of 40.
    expect(r.pos[39]).toBe(4);
    expect(r.pos.reduce((a, b) => a + b)).toBe(4);
    expect(r.neg[20]).toBe(8);
    expect(r.neg.reduce((a, b) => a + b)).toBe(8);
    expect(r.top1).toBe(1);
    expect(r.top5).toBe(1);
    expect(r.align).toBeCloseTo(0, 6);
    // 6 distinct pairs: four at squared distance 2, two at 0.
    expect(r.uniform).toBeCloseTo(Math.log((4 * Math.exp(-4) + 2) / 6), 5);
    // Normalized h rows (1,0),(0,1),(1,0),(0,1): each column has population std 0.5.
    expect(r.std).toBeCloseTo(0.5, 6);
  });

  it('positives swapped with negatives: top-1 fails, top-5 holds with only 3 others', async () => {
    const r = await health([
      [1, 0],
      [0, 1],
      [0, 1],
      [1, 0],
    ]);
    expect(r.top1).toBe(0);
    expect(r.top5).toBe(1);
    expect(r.align).toBeCloseTo(2, 6);
    expect(r.pos[20]).toBe(4);
    expect(r.neg[39]).toBe(4);
    expect(r.neg[20]).toBe(4);
  });

  it('ranks among 2N - 1 others: a positive beaten by one negative is top-5 but not top-1', async () => {
    // 6 views (N = 3). Anchor 0's positive (view 3) is at 60 degrees; view 1 at 30 degrees beats it.
    const deg = (a: number) => [Math.cos((a * Math.PI) / 180), Math.sin((a * Math.PI) / 180)];
    const r = await health([deg(0), deg(30), deg(180), deg(60), deg(30), deg(180)]);
    // Anchor 0: positive 3 (cos 60) beaten by 1 and 4 (cos 30) -> rank 2. Anchor 3: positive 0 (cos 60), beaten by 1, 4 (cos 30) -> rank 2.
    // Anchor 1: positive 4 identical -> rank 0. Anchor 4: positive 1 -> rank 0. Anchors 2, 5: identical -> rank 0.
    expect(r.top1).toBeCloseTo(4 / 6, 6);
    expect(r.top5).toBe(1);
  });

  it('a collapsed representation has std 0 and is flagged', async () => {
    const r = await health(
      [
        [1, 0],
        [0, 1],
        [1, 0],
        [0, 1],
      ],
      [
        [3, 4],
        [6, 8],
        [3, 4],
        [0.3, 0.4],
      ],
    );
    expect(r.std).toBeCloseTo(0, 5);
    expect(collapseVerdict(r.std, 2, Number.NaN)).toBe(true);
    expect(collapseVerdict(0.5, 2, Number.NaN)).toBe(false);
  });

  it('collapse: far below 1/sqrt(d), or well below it after halving from the run start', () => {
    const d = 512;
    const u = 1 / Math.sqrt(d);
    expect(collapseVerdict(0.09 * u, d, Number.NaN)).toBe(true);
    // An untrained ResNet-18 starts near 0.29/sqrt(d): no warning at its own baseline.
    expect(collapseVerdict(0.29 * u, d, 0.29 * u)).toBe(false);
    expect(collapseVerdict(0.2 * u, d, 0.29 * u)).toBe(false);
    expect(collapseVerdict(0.14 * u, d, 0.29 * u)).toBe(true);
    // Falling by half while still well spread is not collapse.
    expect(collapseVerdict(0.3 * u, d, 0.9 * u)).toBe(false);
  });
});
