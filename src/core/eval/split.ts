import { Rng } from '../random/rng';

export interface EvalSplit {
  /** Images embedded for the map and evaluation (a seeded sample of at most `maxImages`), ascending. */
  sample: Int32Array;
  /** Positions within `sample` of the held-out (test) images and of the memory bank (train) images. */
  test: Int32Array;
  train: Int32Array;
}

/**
 * A seeded sample of the data set and a held-out split of it (`testFraction` of the sample, at least 1 image,
 * at most all but 1). The same seed and size always give the same split.
 */
export function evalSplit(count: number, maxImages: number, testFraction: number, seed: number): EvalSplit {
  const rng = new Rng(seed);
  const order = Int32Array.from({ length: count }, (_, i) => i);
  shuffle(order, rng);
  const sample = order.slice(0, Math.min(count, maxImages)).sort();
  const positions = Int32Array.from({ length: sample.length }, (_, i) => i);
  shuffle(positions, rng);
  const testCount = Math.min(sample.length - 1, Math.max(1, Math.round(sample.length * testFraction)));
  return {
    sample,
    test: positions.slice(0, testCount).sort(),
    train: positions.slice(testCount).sort(),
  };
}

function shuffle(values: Int32Array, rng: Rng): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = values[i]!;
    values[i] = values[j]!;
    values[j] = t;
  }
}
