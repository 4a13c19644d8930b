import { describe, expect, it } from 'vitest';
import { StepClock, WARMUP_STEPS } from './step-clock';

/** A clock driven by hand: `advance` moves time on by milliseconds. */
function manual() {
  let t = 0;
  const clock = new StepClock(() => t);
  const step = (ms: number, sync = true) => {
    t += ms;
    clock.stepTaken();
    if (sync) clock.synced();
  };
  return { clock, step, advance: (ms: number) => (t += ms) };
}

describe('StepClock', () => {
  it('leaves the warm-up step out and has no figure before a step was timed', () => {
    const { clock, step } = manual();
    expect(WARMUP_STEPS).toBe(1);
    expect(clock.wantsSync).toBe(false);
    step(30_000); // the first step compiles shaders
    expect(clock.secondsPerStep).toBeNull();
    step(2000);
    expect(clock.secondsPerStep).toBeCloseTo(2, 9);
  });

  it('asks for a sync after each of the first steps, then only at read-backs', () => {
    const { clock, step } = manual();
    const wanted: boolean[] = [];
    for (let i = 0; i < 5; i++) {
      clock.stepTaken();
      wanted.push(clock.wantsSync);
      if (clock.wantsSync) clock.synced();
    }
    void step;
    expect(wanted).toEqual([true, true, true, false, false]);
  });

  it('times steps between sync points, averaged over the steps in the interval', () => {
    const { clock, step } = manual();
    step(10_000);
    step(1000, false);
    step(1000, false);
    step(1000);
    expect(clock.secondsPerStep).toBeCloseTo(1, 9);
  });

  it('leaves out a pause: Resume restarts the clock, and the rate from before stays', () => {
    const { clock, step, advance } = manual();
    step(5000);
    for (let i = 0; i < 5; i++) step(1000);
    step(1000, false);
    advance(600_000); // paused for 10 minutes with a step not yet synced
    clock.restart();
    expect(clock.secondsPerStep).toBeCloseTo(1, 9);
    step(3000); // the warm-up step after Resume
    step(1000);
    expect(clock.secondsPerStep).toBeCloseTo(1, 9);
  });

  it('leaves out time excluded between steps (the embedding map)', () => {
    const { clock, step, advance } = manual();
    step(1000);
    advance(4000);
    clock.exclude(4000);
    step(1000);
    expect(clock.secondsPerStep).toBeCloseTo(1, 9);
  });

  it('follows a change of speed', () => {
    const { clock, step } = manual();
    step(1000);
    for (let i = 0; i < 20; i++) step(1000);
    for (let i = 0; i < 100; i++) step(3000);
    expect(clock.secondsPerStep).toBeGreaterThan(2.9);
  });
});
