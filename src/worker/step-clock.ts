/**
 * Measures seconds per training step for the ETA and images/s. Steps are timed between sync points (a
 * read-back: before it the GPU may still be working on queued steps). It leaves out:
 * - the warm-up steps after every (re)start, whose time is shader compilation and first allocations;
 * - the time the run was paused: Resume restarts the clock, so no interval spans a pause;
 * - time spent outside training between steps (the embedding map's chunks), which `exclude` subtracts.
 * The rate is a step-weighted exponential average, so it follows a run that speeds up or slows down; it
 * survives a pause (the rate before it is still the best guess right after Resume).
 */

/** Steps after each (re)start that are not timed. */
export const WARMUP_STEPS = 1;
/** Measured steps after each (re)start that each get a sync, so the first figures come quickly. */
const EAGER_STEPS = 2;
/**
 * Weight of a measurement halves after this many newer steps: short enough that the ETA follows a device
 * whose speed changes (other programs, thermal limits) within a short run, long enough to ride out a save.
 */
const HALF_LIFE_STEPS = 15;

export class StepClock {
  private intervalStart = 0;
  private intervalSteps = 0;
  private excludedMs = 0;
  private warmupLeft = WARMUP_STEPS;
  private measuredSinceRestart = 0;
  private weightedSeconds = 0;
  private weightedSteps = 0;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.restart();
  }

  /** A (re)start: the next WARMUP_STEPS are not timed, and the open interval (a pause) is dropped. */
  restart(): void {
    this.warmupLeft = WARMUP_STEPS;
    this.measuredSinceRestart = 0;
    this.intervalSteps = 0;
    this.excludedMs = 0;
    this.intervalStart = this.now();
  }

  /** One step was queued. */
  stepTaken(): void {
    this.intervalSteps += 1;
  }

  /** Time spent between steps on something else (milliseconds), left out of the open interval. */
  exclude(ms: number): void {
    if (ms > 0) this.excludedMs += ms;
  }

  /** Whether the run should wait for the last step now (warm-up and the first timed steps). */
  get wantsSync(): boolean {
    return this.intervalSteps > 0 && this.warmupLeft + EAGER_STEPS > this.measuredSinceRestart;
  }

  /** A sync point: every step taken so far has finished. Closes the open interval. */
  synced(): void {
    const now = this.now();
    const steps = this.intervalSteps;
    const seconds = Math.max(0, now - this.intervalStart - this.excludedMs) / 1000;
    this.intervalStart = now;
    this.intervalSteps = 0;
    this.excludedMs = 0;
    if (steps === 0) return;
    if (this.warmupLeft > 0) {
      this.warmupLeft = Math.max(0, this.warmupLeft - steps);
      return;
    }
    this.measuredSinceRestart += steps;
    const decay = 0.5 ** (steps / HALF_LIFE_STEPS);
    this.weightedSeconds = this.weightedSeconds * decay + seconds;
    this.weightedSteps = this.weightedSteps * decay + steps;
  }

  /** Measured seconds per step, or null before any step was timed. */
  get secondsPerStep(): number | null {
    return this.weightedSteps > 0 ? this.weightedSeconds / this.weightedSteps : null;
  }
}
