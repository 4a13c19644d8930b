import { describe, expect, it } from 'vitest';
import type { TrainingState } from '../core/checkpoint/training-state';
import { DEFAULT_TRAIN_CONFIG } from '../protocol/config';
import { classifyFault, LastGoodState, smallerBatch } from './fault-recovery';
import type { RunCheckpointer, TrainingRun } from './training-run';

describe('classifyFault', () => {
  it('recognises device loss by the lost promise or by the message', () => {
    expect(classifyFault(new Error('anything'), true)).toBe('deviceLost');
    expect(classifyFault(new Error('OperationError: Device is lost'), false)).toBe('deviceLost');
    expect(classifyFault(new Error('The GPUDevice was destroyed'), false)).toBe('deviceLost');
  });

  it('recognises out-of-memory errors of tfjs and WebGPU', () => {
    expect(classifyFault(new Error('Failed to allocate GPU buffer: out of memory'), false)).toBe('outOfMemory');
    expect(classifyFault(new Error('Requested texture size [1x2] exceeds the max'), false)).toBe('outOfMemory');
    expect(classifyFault(new Error('The loss became NaN at step 3'), false)).toBeNull();
  });
});

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
    const keeper = new LastGoodState(inner, DEFAULT_TRAIN_CONFIG, policy);
    const kept: number[] = [];
    for (let step = 1; step <= 12; step++) {
      if (keeper.due(step, 100)) {
        await keeper.save(fakeRun(step));
        if (keeper.state?.step === step) kept.push(step);
      }
    }
    expect(kept).toEqual([1, 5, 9]);
    expect(inner.saves).toEqual([10]);
  });

  it('an end-of-run save (not asked for by due) goes to the inner checkpointer only', async () => {
    const inner = new FakeInner();
    const keeper = new LastGoodState(inner, DEFAULT_TRAIN_CONFIG, policy);
    expect(keeper.due(1, 100)).toBe(true);
    await keeper.save(fakeRun(1));
    expect(keeper.due(2, 100)).toBe(false);
    await keeper.save(fakeRun(2)); // the run stopped after step 2
    expect(inner.saves).toEqual([2]);
    expect(keeper.state?.step).toBe(1);
  });

  it('throws an injected fault from due (test hooks)', () => {
    const keeper = new LastGoodState(undefined, { ...DEFAULT_TRAIN_CONFIG, batchSize: 8 }, policy);
    LastGoodState.injectedFault = (config) => (config.batchSize > 4 ? new Error('out of memory') : null);
    try {
      expect(() => keeper.due(1, 10)).toThrow(/out of memory/);
    } finally {
      LastGoodState.injectedFault = null;
    }
  });
});
