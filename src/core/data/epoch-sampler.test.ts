import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng';
import { EpochSampler } from './epoch-sampler';

function take(sampler: EpochSampler, batches: number): number[][] {
  return Array.from({ length: batches }, () => Array.from(sampler.nextBatch()));
}

describe('Rng', () => {
  it('is reproducible from a seed and from a saved state', () => {
    const a = new Rng(123);
    const b = new Rng(123);
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
    const saved = a.state();
    const expected = Array.from({ length: 5 }, () => a.nextUint32());
    const restored = new Rng(saved);
    expect(Array.from({ length: 5 }, () => restored.nextUint32())).toEqual(expected);
    expect(new Rng(124).next()).not.toBe(new Rng(123).next());
  });

  it('draws uniform values in range with a plausible mean', () => {
    const rng = new Rng(9);
    let sum = 0;
    for (let i = 0; i < 10000; i++) {
      const v = rng.next();
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
      sum += v;
    }
    expect(sum / 10000).toBeCloseTo(0.5, 1);
  });
});

describe('EpochSampler', () => {
  it('visits every image once per epoch and drops the last incomplete batch', () => {
    const sampler = new EpochSampler(10, 3, 1);
    expect(sampler.stepsPerEpoch).toBe(3);
    const epoch = take(sampler, 3).flat();
    expect(new Set(epoch).size).toBe(9);
    expect(epoch.every((i) => i >= 0 && i < 10)).toBe(true);
    sampler.nextBatch();
    expect(sampler.epoch).toBe(1);
  });

  it('is reproducible for a seed and differs between seeds', () => {
    expect(take(new EpochSampler(20, 4, 7), 12)).toEqual(take(new EpochSampler(20, 4, 7), 12));
    expect(take(new EpochSampler(20, 4, 7), 5)).not.toEqual(take(new EpochSampler(20, 4, 8), 5));
  });

  it('resumes from a saved state with the same batches', () => {
    const original = new EpochSampler(11, 4, 3);
    take(original, 4);
    const state = original.state();
    const expected = take(original, 6);
    expect(take(new EpochSampler(11, 4, state), 6)).toEqual(expected);
  });

  it('refuses a batch larger than the data set', () => {
    expect(() => new EpochSampler(3, 4, 1)).toThrow(/exceeds/);
  });
});
