import { firstNonFinite } from '../core/checkpoint/finite';
import type { TrainingState } from '../core/checkpoint/training-state';
import type { RunCheckpointer, TrainingRun } from './training-run';

export interface KeepStatePolicy {
  /** Keep a state after this many steps since the last one, */
  everySteps: number;
  /** or after this long. */
  everyMs: number;
}

/** Keeps every step after the first and then every 25 steps or 30 s: at most that much work is lost. */
export const DEFAULT_KEEP_POLICY: KeepStatePolicy = { everySteps: 25, everyMs: 30_000 };

/**
 * A checkpointer that also keeps the last good training state in memory (for device loss), wrapping
 * the autosave one when there is one.
 */
export class LastGoodState implements RunCheckpointer {
  state: TrainingState | null = null;
  private keptAt = 0;

  constructor(
    private readonly inner: RunCheckpointer | undefined,
    private readonly policy: KeepStatePolicy = DEFAULT_KEEP_POLICY,
  ) {}

  get savedStep(): number | null {
    return this.inner ? this.inner.savedStep : (this.state?.step ?? null);
  }

  /** Whether a state should be kept in memory after step `step`. */
  private keepDue(step: number): boolean {
    const keptStep = this.state?.step ?? 0;
    return (
      step === 1 || step - keptStep >= this.policy.everySteps || performance.now() - this.keptAt >= this.policy.everyMs
    );
  }

  due(step: number, total: number): boolean {
    return this.keepDue(step) || (this.inner?.due(step, total) ?? false);
  }

  /**
   * After a due step, keeps a state and/or lets the inner checkpointer save, each on its own schedule
   * (asked again now: the answers only move from no to yes as time passes). Otherwise (pause, stop, end
   * of the run) only the inner one saves.
   */
  async save(run: TrainingRun, afterDue: boolean): Promise<void> {
    const keep = afterDue && this.keepDue(run.step);
    const inner = !afterDue || (this.inner?.due(run.step, run.total) ?? false);
    if (keep) {
      try {
        // GPU-to-CPU sync: every weight and optimizer slot is read back (after step 1, then every 25 steps or 30 s).
        const state = await run.capture();
        // A state with NaN or Infinity in it is not good: keep the previous one to fall back on.
        if (firstNonFinite(state) === null) {
          this.state = state;
          this.keptAt = performance.now();
        }
      } catch {
        // Keep the previous good state.
      }
    }
    if (inner && this.inner) await this.inner.save(run, afterDue);
  }
}
