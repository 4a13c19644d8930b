import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { randomImageStore, tinyConfig } from '../core/train/test-fixtures';
import type { WorkerEvent } from '../protocol/messages';
import { DeviceWatch } from './device-watch';
import { runWithRecovery, withKeeper } from './fault-recovery';
import { injectedStepFault } from './faults';
import { TrainingRun } from './training-run';

const config = tinyConfig({
  projectionHidden: 8,
  projectionDim: 4,
  batchSize: 8,
  metricsEvery: 1,
  duration: { unit: 'steps', value: 2 },
});

/** Trains `config` through the recovery, as the session does; returns the events and the last run. */
async function trainWithRecovery(): Promise<{ events: WorkerEvent[]; run: TrainingRun; error: unknown }> {
  const store = randomImageStore(8);
  const events: WorkerEvent[] = [];
  const emit = (event: WorkerEvent) => events.push(event);
  const options = withKeeper({});
  let run = new TrainingRun(config, store, emit, options);
  let error: unknown = null;
  try {
    await runWithRecovery(run, options, {
      emit,
      watch: new DeviceWatch(),
      makeRun: (c, o) => new TrainingRun(c, store, emit, o),
      optionsFor: () => ({}),
      replaceRun: (next) => {
        run = next;
      },
    });
  } catch (failure) {
    error = failure;
  }
  return { events, run, error };
}

const phases = (events: WorkerEvent[]) =>
  events.flatMap((e) => (e.type === 'trainState' ? [e.phase] : [])).filter((p, i, all) => p !== all[i - 1]);

describe('what the UI is told when a step runs out of memory', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  afterEach(() => {
    injectedStepFault.make = null;
  });

  it('paused while the batch is halved, a recovered notice, the new step plan, then the run goes on: never error', async () => {
    injectedStepFault.make = (c) =>
      c.batchSize > 4 ? new Error('Failed to allocate GPU buffer: out of memory') : null;
    const { events, run, error } = await trainWithRecovery();
    expect(error).toBeNull();
    expect(phases(events)).toEqual(['preparing', 'running', 'paused', 'preparing', 'running', 'done']);
    const paused = events.find((e) => e.type === 'trainState' && e.phase === 'paused');
    expect(paused?.type === 'trainState' && paused.message).toMatch(/retrying at batch size 4/);
    const recovered = events.filter((e) => e.type === 'recovered');
    expect(recovered).toHaveLength(1);
    expect(recovered[0]?.type === 'recovered' && recovered[0].fault).toBe('out-of-memory');
    expect(events.some((e) => e.type === 'error')).toBe(false);
    const plans = events.flatMap((e) => (e.type === 'runConfig' ? [e.step] : []));
    expect(plans.map((p) => [p.batchSize, p.note])).toEqual([
      [8, ''],
      [4, 'out of memory at batch size 8: batch halved'],
    ]);
    expect(run.config.batchSize).toBe(4);
    expect(run.step).toBe(2);
    run.dispose();
  });

  it('a failure that is not a fault ends the run in error with the message, once', async () => {
    injectedStepFault.make = () => new Error('the shader did not compile');
    const { events, run, error } = await trainWithRecovery();
    expect(String(error)).toMatch(/did not compile/);
    expect(phases(events)).toEqual(['preparing', 'running', 'error']);
    expect(events.at(-1)).toMatchObject({ type: 'trainState', phase: 'error', message: 'the shader did not compile' });
    expect(run.active).toBe(false);
    run.dispose();
  });
});
