import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as chunked from '../core/train/chunked-step';
import { randomImageStore, tinyConfig } from '../core/train/test-fixtures';
import type { TrainConfig } from '../protocol/config';
import type { WorkerEvent } from '../protocol/messages';
import { lossBytes, stepBytesPerImage } from '../protocol/step-memory';
import { StepDoesNotFitError } from './step-does-not-fit';
import { injectedStepBudget, planRunStep } from './step-plan';
import { TrainingRun } from './training-run';

vi.mock('../core/train/chunked-step', async (original) => {
  const real = await original<typeof chunked>();
  return { ...real, chunkedTrainStep: vi.fn(real.chunkedTrainStep) };
});

const config = tinyConfig({
  batchSize: 16,
  projectionHidden: 8,
  projectionDim: 4,
  metricsEvery: 1,
  duration: { unit: 'steps', value: 2 },
});

/** A budget with room for the whole-batch loss and `images` images per pass. */
const budgetFor = (c: TrainConfig, images: number) =>
  lossBytes(c.batchSize, c.imageSize) + images * stepBytesPerImage(c);

describe('the run plans its step for the memory', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  afterEach(() => {
    injectedStepBudget.bytes = null;
    vi.mocked(chunked.chunkedTrainStep).mockClear();
  });

  it('trains in the planned passes and says so (runConfig)', async () => {
    injectedStepBudget.bytes = budgetFor(config, 6);
    const events: WorkerEvent[] = [];
    const run = new TrainingRun(config, randomImageStore(32), (e) => events.push(e));
    await run.run();
    const plans = events.filter((e) => e.type === 'runConfig');
    expect(plans).toHaveLength(1);
    expect(plans[0]!.type === 'runConfig' && plans[0]!.step).toMatchObject({
      batchSize: 16,
      passes: 3,
      imagesPerPass: 6,
      note: '',
    });
    expect(vi.mocked(chunked.chunkedTrainStep).mock.calls.map((c) => c[3])).toEqual([3, 3]);
    expect(run.phase).toBe('done');
    run.dispose();
  });

  it('an out-of-memory error in a step retries it in twice the passes', async () => {
    vi.mocked(chunked.chunkedTrainStep).mockImplementationOnce(() => {
      throw new Error('Failed to allocate GPU buffer: out of memory');
    });
    const events: WorkerEvent[] = [];
    const run = new TrainingRun(config, randomImageStore(32), (e) => events.push(e));
    await run.run();
    const plans = events.flatMap((e) => (e.type === 'runConfig' ? [e.step] : []));
    expect(plans.map((p) => p.passes)).toEqual([1, 2]);
    expect(plans[1]!.note).toMatch(/out of memory/i);
    // The banner hears of it too, and the run never looked failed.
    expect(events.filter((e) => e.type === 'recovered').map((e) => e.type === 'recovered' && e.fault)).toEqual([
      'out-of-memory',
    ]);
    expect(events.some((e) => e.type === 'trainState' && e.phase === 'error')).toBe(false);
    expect(vi.mocked(chunked.chunkedTrainStep).mock.calls.map((c) => c[3])).toEqual([1, 2, 2]);
    expect(run.step).toBe(2);
    run.dispose();
  });

  it('a step that cannot fit is refused before it runs, naming the batch size and one that fits', async () => {
    const big = { ...config, batchSize: 256 };
    injectedStepBudget.bytes = budgetFor({ ...big, batchSize: 64 }, 2);
    const store = randomImageStore(300);
    expect(() => planRunStep(big, store, 1000)).toThrow(StepDoesNotFitError);
    const events: WorkerEvent[] = [];
    const run = new TrainingRun(big, store, (e) => events.push(e));
    await expect(run.run()).rejects.toThrow(
      /Batch size 256 does not fit in memory on the CPU backend.*Set the batch size to \d+ or lower/,
    );
    expect(run.phase).toBe('error');
    expect(vi.mocked(chunked.chunkedTrainStep)).not.toHaveBeenCalled();
    run.dispose();
  });

  it('trains in the chunk set by hand, and refuses one that does not fit, naming one that does', async () => {
    injectedStepBudget.bytes = budgetFor(config, 6);
    const events: WorkerEvent[] = [];
    const run = new TrainingRun({ ...config, chunkSize: 4 }, randomImageStore(32), (e) => events.push(e));
    await run.run();
    const plans = events.flatMap((e) => (e.type === 'runConfig' ? [e.step] : []));
    expect(plans.map((p) => [p.passes, p.imagesPerPass])).toEqual([[4, 4]]);
    expect(vi.mocked(chunked.chunkedTrainStep).mock.calls.map((c) => c[3])).toEqual([4, 4]);
    run.dispose();
    // Room for 6 images a chunk: 8 does not fit; 4 is the largest divisor of 16 that does.
    expect(() => planRunStep({ ...config, chunkSize: 8 }, randomImageStore(32), 1000)).toThrow(
      /^Chunk 8 does not fit in memory on the CPU backend: .* Set Chunk to 4 \(or auto\), then Start again\.$/,
    );
  });
});
