import { describe, expect, it } from 'vitest';
import { estimatedPassSeconds, imagesPerSecond, remainingPasses, runEta } from './run-eta';

describe('remainingPasses', () => {
  it('counts the periodic passes before the last step, the final one, and the one before step 1', () => {
    // 250 steps, a pass every 100: at steps 100 and 200, then after step 250.
    expect(remainingPasses(0, 250, 100)).toBe(3);
    expect(remainingPasses(0, 250, 100, true)).toBe(4);
    expect(remainingPasses(100, 250, 100)).toBe(2);
    expect(remainingPasses(199, 250, 100)).toBe(2);
    expect(remainingPasses(200, 250, 100)).toBe(1);
    expect(remainingPasses(250, 250, 100)).toBe(0);
  });

  it('has no pass at the last step itself, and only the final pass without periodic ones', () => {
    expect(remainingPasses(0, 200, 100)).toBe(2);
    expect(remainingPasses(0, 200, 0)).toBe(1);
  });
});

describe('runEta', () => {
  const schedule = { embedEvery: 100, sampleImages: 1200 };

  it('is null until a step has been timed', () => {
    expect(runEta({ step: 3, total: 10, batchSize: 8, secondsPerStep: null, schedule, passSeconds: null })).toBeNull();
  });

  it('is remaining steps x step time + remaining passes x the measured pass time', () => {
    const eta = runEta({ step: 50, total: 250, batchSize: 100, secondsPerStep: 2, schedule, passSeconds: 7 });
    expect(eta).toEqual({ seconds: 200 * 2 + 3 * 7, stepSeconds: 400, passSeconds: 21, passes: 3, passMeasured: true });
  });

  it('estimates a pass from the step time before one was timed: N images forward vs 6B per step', () => {
    expect(estimatedPassSeconds(2, 100, 1200)).toBeCloseTo(4, 9);
    const eta = runEta({
      step: 0,
      total: 100,
      batchSize: 100,
      secondsPerStep: 2,
      schedule,
      passSeconds: null,
      beforeFirstStep: true,
    });
    expect(eta?.passes).toBe(2);
    expect(eta?.seconds).toBeCloseTo(200 + 2 * 4, 9);
    expect(eta?.passMeasured).toBe(false);
  });

  it('images per second from the step time', () => {
    expect(imagesPerSecond(128, 2)).toBe(64);
    expect(imagesPerSecond(128, null)).toBeNull();
  });
});
