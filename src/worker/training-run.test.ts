import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ImageStore } from '../core/data/image-store';
import { randomImageStore, tinyConfig } from '../core/train/test-fixtures';
import type { WorkerEvent } from '../protocol/messages';
import { type RunCheckpointer, TrainingRun } from './training-run';

const config = tinyConfig({
  projectionHidden: 8,
  projectionDim: 4,
  metricsEvery: 1,
  duration: { unit: 'steps', value: 6 },
});

const imageStore = () => randomImageStore(8);

/** Saves when `due` says so (and when the run asks), recording the steps. */
class RecordingCheckpointer implements RunCheckpointer {
  savedStep: number | null = null;
  readonly saves: number[] = [];
  constructor(private readonly dueAt: readonly number[] = []) {}
  due(step: number): boolean {
    return this.dueAt.includes(step);
  }
  async save(run: TrainingRun): Promise<void> {
    this.saves.push(run.step);
    this.savedStep = run.step;
  }
}

/** Per-step losses from the run's metrics events. */
function lossesOf(events: WorkerEvent[]): Map<number, number> {
  const losses = new Map<number, number>();
  for (const e of events) {
    if (e.type !== 'metrics') continue;
    for (const [i, loss] of e.losses.entries()) losses.set(e.firstStep + i, loss);
  }
  return losses;
}

function lastState(events: WorkerEvent[]) {
  const last = events.filter((e) => e.type === 'trainState').at(-1);
  if (last?.type !== 'trainState') throw new Error('no trainState event');
  return last;
}

describe('TrainingRun saving and Continue', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('Pause and Stop save the steps no checkpoint has yet, and only those', async () => {
    const events: WorkerEvent[] = [];
    const checkpointer = new RecordingCheckpointer([2]);
    let run: TrainingRun | null = null;
    const emit = (event: WorkerEvent) => {
      events.push(event);
      // Resume once the pause has settled (the loop waits for it after announcing 'paused').
      if (event.type === 'trainState' && event.phase === 'paused') setTimeout(() => run?.resume(), 0);
    };
    run = new TrainingRun(config, imageStore(), emit, { checkpointer });
    const pauseAt = new Map([
      [2, () => run?.pause()], // just saved by the interval: nothing more to save
      [3, () => run?.pause()], // one unsaved step: saved before 'paused'
      [5, () => run?.stop()],
    ]);
    run.onStep = async (step) => pauseAt.get(step)?.();
    await run.run();
    expect(checkpointer.saves).toEqual([2, 3, 5]);
    expect(run.phase).toBe('stopped');
    // The stop save carries the losses read back before it: all 5 steps are on the charts.
    expect([...lossesOf(events).keys()]).toEqual([1, 2, 3, 4, 5]);
    run.dispose();
  });

  it('Stop then Continue trains the same run on to its total, as if it had never stopped', async () => {
    const store = imageStore();
    const straightEvents: WorkerEvent[] = [];
    const straight = new TrainingRun(config, store, (e) => straightEvents.push(e));
    await straight.run();
    straight.dispose();

    const events: WorkerEvent[] = [];
    const checkpointer = new RecordingCheckpointer();
    const run = new TrainingRun(config, store, (e) => events.push(e), { checkpointer });
    run.onStep = async (step) => {
      if (step === 3) run.stop();
    };
    await run.run();
    expect(run.phase).toBe('stopped');
    expect(run.step).toBe(3);
    expect(lastState(events).canContinue).toBe(true);
    expect(run.canContinueOn(store)).toBe(true);
    expect(run.canContinueOn(imageStore())).toBe(false);

    run.onStep = null;
    run.continueAfterStop();
    await run.run();
    expect(run.phase).toBe('done');
    expect(run.step).toBe(6);
    expect(lastState(events).canContinue).toBe(false);
    expect(checkpointer.saves).toEqual([3, 6]);
    const expected = lossesOf(straightEvents);
    const got = lossesOf(events);
    expect([...got.keys()]).toEqual([1, 2, 3, 4, 5, 6]);
    for (const [step, loss] of expected) expect(got.get(step)).toBeCloseTo(loss, 5);
    run.dispose();
  });

  it('a run restored without its images keeps the total of the images it was trained on', async () => {
    // 3 epochs of 8 images in batches of 4: 6 steps, and 0 with no images loaded.
    const byEpochs = { ...config, duration: { unit: 'epochs', value: 3 } } as const;
    const trained = new TrainingRun(byEpochs, imageStore(), () => undefined);
    trained.onStep = async (step) => {
      if (step === 2) trained.stop();
    };
    await trained.run();
    const state = await trained.capture();
    trained.dispose();

    const events: WorkerEvent[] = [];
    const imported = new TrainingRun(byEpochs, new ImageStore(byEpochs.imageSize), (e) => events.push(e), {
      from: state,
    });
    imported.settle('Imported, images not loaded.');
    expect(lastState(events)).toMatchObject({ step: 2, totalSteps: 6 });
    imported.dispose();
  });

  it('a run settled without its images cannot continue', async () => {
    const store = imageStore();
    const run = new TrainingRun(config, store, () => undefined);
    run.settle('Imported, images not loaded.');
    expect(run.canContinueOn(store)).toBe(false);
    run.dispose();
  });
});

describe('TrainingRun throughput and ETA', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('says nothing until a step after warm-up was timed, then counts the passes still to come', async () => {
    const events: WorkerEvent[] = [];
    const run = new TrainingRun(config, imageStore(), (e) => events.push(e));
    run.evaluationTiming = () => ({ schedule: { embedEvery: 2, sampleImages: 8 }, passSeconds: 1000 });
    await run.run();
    const metrics = events.filter((e) => e.type === 'metrics');
    // Step 1 is the warm-up step: no figure yet rather than one that counts shader compilation.
    expect(metrics[0]?.imagesPerSecond).toBeNull();
    expect(metrics[0]?.etaSeconds).toBeNull();
    const third = metrics[2];
    expect(third?.imagesPerSecond).toBeGreaterThan(0);
    // At step 3 of 6 the passes at step 4 and after step 6 are still to come, 1000 s each.
    expect(third?.etaSeconds).toBeGreaterThan(2000);
    expect(third?.etaSeconds).toBeLessThan(2100);
    run.dispose();
  });
});
