import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAugmenter } from '../core/augment/batch-augmenter';
import { drawViewParams } from '../core/augment/params';
import { ImageStore } from '../core/data/image-store';
import { createOptimizer } from '../core/optim/optimizers';
import { Rng } from '../core/random/rng';
import { buildSimclrModel } from '../core/train/simclr-model';
import { trainStep } from '../core/train/train-step';
import { candidateList, chooseConfig, sameCandidate } from '../protocol/auto-config';
import type { ProbeRequest, ProbeResult } from '../protocol/auto-config-probe';
import { DEFAULT_TRAIN_CONFIG } from '../protocol/config';
import type { WorkerEvent } from '../protocol/messages';
import { lossBytes, stepBytesPerImage } from '../protocol/step-memory';
import { ConfigProbe, timeCandidate } from './config-probe';
import { injectedStepBudget } from './step-plan';

const SIZE = 16;
const request: ProbeRequest = {
  base: { ...DEFAULT_TRAIN_CONFIG, projectionHidden: 16, projectionDim: 8 },
  timeBudgetSeconds: 600,
  probeSeconds: 2,
};

/** `count` random images; reading more than `failAfter` of them fails as WebGPU's allocator does. */
class TestStore extends ImageStore {
  private reads = 0;

  constructor(
    count: number,
    private readonly failAfter = Number.POSITIVE_INFINITY,
  ) {
    super(SIZE, count);
    const rng = new Rng(7);
    for (let i = 0; i < count; i++)
      this.add(
        Uint8Array.from({ length: SIZE * SIZE * 3 }, () => rng.int(256)),
        `img/${i}.png`,
      );
  }

  override image(index: number): Uint8Array {
    this.reads += 1;
    if (this.reads > this.failAfter) throw new Error('Failed to allocate GPU buffer: out of memory');
    return super.image(index);
  }
}

/** The choice from a probe's result, as the store makes it. */
function choose(result: ProbeResult, timeBudgetSeconds: number, fixed?: ProbeRequest['fixed']) {
  return chooseConfig({
    ...result,
    context: request.base,
    duration: request.base.duration,
    timeBudgetSeconds,
    ...(fixed ? { fixed } : {}),
  });
}

async function probe(store: ImageStore, cancelAfterProgress = false, req = request) {
  const events: WorkerEvent[] = [];
  const prober: ConfigProbe = new ConfigProbe((event) => {
    events.push(event);
    if (cancelAfterProgress && event.type === 'configProbeProgress') prober.cancel();
  });
  await prober.run(3, req, store, 'cpu');
  const done = events.find((e) => e.type === 'configProbeDone');
  if (done?.type !== 'configProbeDone') throw new Error('no configProbeDone');
  return { events, result: done.result };
}

describe('ConfigProbe', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  afterEach(() => {
    injectedStepBudget.bytes = null;
  });

  it('times real steps of the smallest candidate first, reports progress, and leaks no tensors', async () => {
    const store = new TestStore(8);
    const before = tf.memory().numTensors;
    const { events, result } = await probe(store);
    expect(tf.memory().numTensors).toBe(before);
    const smallest = candidateList({ imageCount: 8, storeSize: SIZE }, request.base)[0]!;
    expect(result.cancelled).toBe(false);
    expect(result.data).toEqual({ imageCount: 8, storeSize: SIZE });
    expect(result.limits.backend).toBe('cpu');
    expect(result.measurements.length).toBeGreaterThanOrEqual(1);
    expect(sameCandidate(result.measurements[0]!.candidate, smallest.candidate)).toBe(true);
    for (const m of result.measurements) {
      expect(m.secondsPerStep).toBeGreaterThan(0);
      expect(m.firstStepSeconds).toBeGreaterThan(0);
    }
    expect(result.stopReason).not.toBe('');
    // Progress before each size and before each of its steps (warm-up, then the timed ones).
    const progress = events.flatMap((e) => (e.type === 'configProbeProgress' ? [e] : []));
    expect(progress.length).toBe(4 * (result.measurements.length + result.failures.length));
    expect(progress.slice(0, 4).map((p) => `${p.step}/${p.steps}`)).toEqual(['0/3', '1/3', '2/3', '3/3']);
    // The pick is one of the sizes timed: its step time is measured, not extrapolated.
    const choice = choose(result, 600);
    expect(choice?.basis).toBe('measured');
  });

  it('keeps the fields set by hand, lowers a batch larger than the data set, and times the pick', async () => {
    const fixed = { encoder: 'resnet-small', widthMultiplier: 0.125, batchSize: 128 } as const;
    const { events, result } = await probe(new TestStore(8), false, { ...request, probeSeconds: 0, fixed });
    for (const m of result.measurements) {
      expect(m.candidate).toMatchObject({ encoder: 'resnet-small', widthMultiplier: 0.125, batchSize: 8 });
    }
    const choice = choose(result, 600, fixed);
    expect(choice?.candidate.batchSize).toBe(8);
    expect(choice?.basis).toBe('measured');
    if (result.measurements.length > 1) {
      expect(events.some((e) => e.type === 'configProbeProgress' && e.stage === 'confirming')).toBe(true);
      expect(result.stopReason).toMatch(/Timed the pick/);
    }
  });

  it('an out-of-memory candidate stops the probe with what was timed below it; the data set is untouched', async () => {
    // 8 images: batches of 2. The smallest candidate copies 2 images; the next one "runs out of memory".
    const store = new TestStore(8, 2);
    const list = candidateList({ imageCount: 8, storeSize: SIZE }, request.base);
    expect(list[0]!.candidate.batchSize).toBe(2);
    const before = tf.memory().numTensors;
    // A budget and a probe time that let it go on to the next size.
    const { result } = await probe(store, false, { ...request, timeBudgetSeconds: 1e9, probeSeconds: 1e6 });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.measurements.map((m) => m.candidate)).toEqual([list[0]!.candidate]);
    expect(result.failures).toEqual([expect.objectContaining({ candidate: list[1]!.candidate, outOfMemory: true })]);
    expect(result.stopReason).toBe('The next size up ran out of memory.');
    expect(store.length).toBe(8);
    const choice = choose(result, 1e9);
    expect(choice?.candidate).toEqual(list[0]!.candidate);
    expect(choice?.next.kind).toBe('failed');
  });

  it('times a batch too large for one pass in the passes a run would take, and picks it', async () => {
    const fixed = { encoder: 'resnet-small', widthMultiplier: 0.125, imageSize: SIZE, batchSize: 8 } as const;
    const config = { ...request.base, ...fixed };
    // Room for the whole batch's loss and 3 images per pass: 8 images take 3 passes.
    injectedStepBudget.bytes = lossBytes(8, SIZE) + 3 * stepBytesPerImage(config);
    const store = new TestStore(8);
    const timing = await timeCandidate(fixed, request.base, store, { cancelled: () => false, timedSteps: 1 });
    expect(timing.passes).toBe(3);
    expect(timing.secondsPerStep).toBeGreaterThan(0);
    const { result } = await probe(store, false, { ...request, fixed });
    expect(result.failures).toEqual([]);
    expect(result.measurements.map((m) => [m.candidate.batchSize, m.passes])).toEqual([[8, 3]]);
    const choice = choose(result, 600, fixed);
    expect(choice?.basis).toBe('measured');
    expect(choice?.stepPlan?.passes).toBeGreaterThanOrEqual(3);
  });

  it('cancel stops it between steps and says so', async () => {
    const before = tf.memory().numTensors;
    const { result } = await probe(new TestStore(8), true);
    expect(tf.memory().numTensors).toBe(before);
    expect(result.cancelled).toBe(true);
    expect(result.measurements).toEqual([]);
    expect(result.stopReason).toBe('Cancelled.');
  });

  it("the step-memory estimate covers a real step's peak tensor bytes (tf.profile), without wasting half", async () => {
    const candidate = { encoder: 'resnet-small', widthMultiplier: 0.125, imageSize: 16, batchSize: 4 } as const;
    const config = { ...request.base, ...candidate };
    const store = new TestStore(8);
    const model = buildSimclrModel(config);
    const optimizer = createOptimizer(config.optimizer, model.params, { weightDecay: config.weightDecay });
    const views = createAugmenter(store);
    const indices = Int32Array.from({ length: 4 }, (_, i) => i);
    const params = drawViewParams(new Rng(1), 8, SIZE, config.augment);
    const step = () =>
      trainStep(
        model,
        optimizer,
        { augment: () => views.views(indices, params, SIZE), temperature: 0.5, learningRate: 1e-3 },
        false,
      ).loss;
    step().dispose(); // the optimizer's slots exist from the first step on
    const resident = tf.memory().numBytes;
    const profile = await tf.profile(step);
    (profile.result as tf.Tensor).dispose();
    const estimate = stepBytesPerImage(config) * candidate.batchSize + lossBytes(candidate.batchSize, SIZE);
    const ratio = (profile.peakBytes - resident) / estimate;
    views.dispose();
    optimizer.dispose();
    model.dispose();
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThanOrEqual(1);
  });
});
