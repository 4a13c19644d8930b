import { describe, expect, it } from 'vitest';
import { isSaveDue } from './autosave';

describe('isSaveDue', () => {
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
