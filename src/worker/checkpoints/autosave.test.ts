import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../../protocol/config';
import { isSaveDue } from './autosave';

describe('isSaveDue', () => {
  it('saves step 1, so a reload early in a run finds it', () => {
    expect(isSaveDue({ everySteps: 500, everyMinutes: 5 }, 1, 1000, 0)).toBe(true);
    expect(isSaveDue({ everySteps: 0, everyMinutes: 1 }, 1, 1000, 0)).toBe(true);
    expect(isSaveDue({ everySteps: 0, everyMinutes: 1 }, 2, 1000, 0)).toBe(false);
    expect(isSaveDue({ everySteps: 0, everyMinutes: 0 }, 1, 1000, 0)).toBe(false);
  });

  it('by default saves step 1, then once a minute, not by step count', () => {
    const policy = {
      everySteps: DEFAULT_TRAIN_CONFIG.checkpointEverySteps,
      everyMinutes: DEFAULT_TRAIN_CONFIG.checkpointEveryMinutes,
    };
    expect(isSaveDue(policy, 1, 1000, 0)).toBe(true);
    expect(isSaveDue(policy, 500, 1000, 59_999)).toBe(false);
    expect(isSaveDue(policy, 37, 1000, 60_000)).toBe(true);
  });

  it('saves every N steps, every M minutes and at the last step', () => {
    const policy = { everySteps: 10, everyMinutes: 5 };
    expect(isSaveDue(policy, 10, 100, 0)).toBe(true);
    expect(isSaveDue(policy, 11, 100, 0)).toBe(false);
    expect(isSaveDue(policy, 11, 100, 5 * 60_000)).toBe(true);
    expect(isSaveDue(policy, 37, 37, 0)).toBe(true);
  });

  it('each interval can be turned off alone, and both off means never', () => {
    expect(isSaveDue({ everySteps: 0, everyMinutes: 1 }, 10, 100, 30_000)).toBe(false);
    expect(isSaveDue({ everySteps: 0, everyMinutes: 1 }, 10, 100, 60_000)).toBe(true);
    expect(isSaveDue({ everySteps: 3, everyMinutes: 0 }, 7, 100, 1e9)).toBe(false);
    expect(isSaveDue({ everySteps: 0, everyMinutes: 0 }, 100, 100, 1e9)).toBe(false);
  });
});
