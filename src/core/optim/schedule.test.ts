import { describe, expect, it } from 'vitest';
import { peakLearningRate } from '../../protocol/config';
import { warmupCosineLearningRate, warmupStepCount } from './schedule';

describe('warmupCosineLearningRate', () => {
  it('rises linearly during warm-up, peaks, then decays by a half cosine to 0', () => {
    const total = 100;
    const warmup = 10;
    expect(warmupCosineLearningRate(0, total, 1, warmup)).toBeCloseTo(0.1);
    expect(warmupCosineLearningRate(4, total, 1, warmup)).toBeCloseTo(0.5);
    expect(warmupCosineLearningRate(10, total, 1, warmup)).toBeCloseTo(1);
    expect(warmupCosineLearningRate(55, total, 1, warmup)).toBeCloseTo(0.5);
    expect(warmupCosineLearningRate(100, total, 1, warmup)).toBeCloseTo(0);
  });

  it('is monotone after warm-up and scales with the peak', () => {
    let previous = Number.POSITIVE_INFINITY;
    for (let step = 10; step <= 100; step++) {
      const lr = warmupCosineLearningRate(step, 100, 0.3, 10);
      expect(lr).toBeLessThanOrEqual(previous + 1e-12);
      previous = lr;
    }
    expect(warmupCosineLearningRate(30, 100, 2, 10)).toBeCloseTo(2 * warmupCosineLearningRate(30, 100, 1, 10));
  });

  it('without warm-up starts at the peak', () => {
    expect(warmupCosineLearningRate(0, 50, 0.5, 0)).toBeCloseTo(0.5);
    expect(warmupStepCount(200, 0.1)).toBe(20);
    expect(warmupStepCount(5, 0)).toBe(0);
  });
});

describe('peakLearningRate', () => {
  it('scales linearly (0.3 x B/256) or by the square root (0.075 x sqrt(B)) as SimCLR appendix B.1', () => {
    expect(peakLearningRate({ learningRate: 0.3, learningRateScaling: 'linear', batchSize: 4096 })).toBeCloseTo(4.8);
    expect(peakLearningRate({ learningRate: 0.075, learningRateScaling: 'sqrt', batchSize: 4096 })).toBeCloseTo(4.8);
    expect(peakLearningRate({ learningRate: 0.001, learningRateScaling: 'none', batchSize: 4096 })).toBe(0.001);
  });
});
