import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { firstNonFinite } from '../core/checkpoint/finite';
import { randomImageStore, tinyConfig } from '../core/train/test-fixtures';
import type { WorkerEvent } from '../protocol/messages';
import { DeviceWatch } from './device-watch';
import { runWithRecovery, withKeeper } from './fault-recovery';
import { TrainingRun } from './training-run';

// SGD at an absurd learning rate blows the weights up after one step, and the next loss is not finite.
const config = tinyConfig({
  projectionHidden: 8,
  projectionDim: 4,
  optimizer: 'sgd',
  learningRate: 1e35,
  warmupFraction: 0,
  metricsEvery: 1,
  duration: { unit: 'steps', value: 6 },
});

describe('a diverging run', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('stops with a clear message and goes back to the last good state', async () => {
    const store = randomImageStore(8);
    const events: WorkerEvent[] = [];
    const emit = (event: WorkerEvent) => events.push(event);
    const options = withKeeper({});
    const first = new TrainingRun(config, store, emit, options);
    let current = first;
    await runWithRecovery(first, options, {
      emit,
      watch: new DeviceWatch(),
      makeRun: (c, o) => new TrainingRun(c, store, emit, o),
      optionsFor: () => ({}),
      replaceRun: (next) => {
        current = next;
      },
    });
    expect(current).not.toBe(first);
    expect(current.phase).toBe('stopped');
    const last = events.filter((e) => e.type === 'trainState').at(-1);
    expect(last?.type === 'trainState' && last.message).toMatch(/diverged.*restored to step 1/s);
    expect(events.some((e) => e.type === 'error' && /became (NaN|Infinity|-Infinity)/.test(e.error.message))).toBe(
      true,
    );
    expect(current.step).toBe(1);
    expect(firstNonFinite(await current.capture())).toBeNull();
    current.dispose();
  });
});
