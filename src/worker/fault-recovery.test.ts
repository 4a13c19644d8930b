import { describe, expect, it } from 'vitest';
import type { TrainingState } from '../core/checkpoint/training-state';
import { smallerBatch } from './fault-recovery';
import { LastGoodState } from './last-good-state';
import type { RunCheckpointer, TrainingRun } from './training-run';

describe('smallerBatch', () => {
  it('halves down to 2 and then gives up', () => {
    expect(smallerBatch(128)).toBe(64);
    expect(smallerBatch(5)).toBe(2);
    expect(smallerBatch(3)).toBeNull();
    expect(smallerBatch(2)).toBeNull();
  });
});

function fakeRun(step: number): TrainingRun {
  const state = { step, weights: [], optimizer: { slots: [] } };
  return { step, total: 100, capture: async () => state as unknown as TrainingState } as unknown as TrainingRun;
}

class FakeInner implements RunCheckpointer {
  savedStep: number | null = null;
  saves: number[] = [];
  due(step: number): boolean {
    return step % 10 === 0;
  }
  async save(run: TrainingRun): Promise<void> {
    this.saves.push(run.step);
    this.savedStep = run.step;
  }
}

describe('LastGoodState', () => {
  const policy = { everySteps: 4, everyMs: 1e9 };

  it('keeps a state after step 1 and every 4 steps; lets the inner checkpointer save on its own schedule', async () => {
    const inner = new FakeInner();
    const keeper = new LastGoodState(inner, policy);
    const kept: number[] = [];
    for (let step = 1; step <= 12; step++) {
      if (keeper.due(step, 100)) {
        await keeper.save(fakeRun(step), true);
        if (keeper.state?.step === step) kept.push(step);
      }
    }
    expect(kept).toEqual([1, 5, 9]);
    expect(inner.saves).toEqual([10]);
  });

  it('an end-of-run save (not asked for by due) goes to the inner checkpointer only', async () => {
    const inner = new FakeInner();
    const keeper = new LastGoodState(inner, policy);
    expect(keeper.due(1, 100)).toBe(true);
    await keeper.save(fakeRun(1), true);
    expect(keeper.due(2, 100)).toBe(false);
    await keeper.save(fakeRun(2), false); // the run stopped after step 2
    expect(inner.saves).toEqual([2]);
    expect(keeper.state?.step).toBe(1);
  });

  it('due is pure: asking again changes nothing; save asks the schedules itself', async () => {
    const inner = new FakeInner();
    const keeper = new LastGoodState(inner, { everySteps: 50, everyMs: 1e9 });
    for (let i = 0; i < 3; i++) expect(keeper.due(1, 100)).toBe(true);
    expect(keeper.state).toBeNull();
    expect(inner.saves).toEqual([]);
    await keeper.save(fakeRun(1), true);
    expect(keeper.state?.step).toBe(1);
    expect(inner.saves).toEqual([]);
    // Due for the inner checkpointer only: saved there, not kept in memory.
    expect(keeper.due(10, 100)).toBe(true);
    await keeper.save(fakeRun(10), true);
    expect(inner.saves).toEqual([10]);
    expect(keeper.state?.step).toBe(1);
  });
});
