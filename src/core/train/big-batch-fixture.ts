/**
 * The big-batch case every backend's test runs (cpu and wasm in vitest, WebGPU in Dawn): batches of
 * 256, 512 and 1,024 on a tiny network, with a memory budget small enough that the step needs several
 * passes, so the chunked step (gradient caching) is what trains.
 */
import * as tf from '@tensorflow/tfjs';
import { type BackendName, DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../../protocol/config';
import { lossBytes, memoryLimitsFor, planStep, type StepPlan, stepBytesPerImage } from '../../protocol/step-memory';
import { randomImage } from '../augment/test-fixtures';
import { ImageStore } from '../data/image-store';
import { Rng } from '../random/rng';
import { Trainer } from './trainer';

export const BIG_BATCHES = [256, 512, 1024] as const;
/** Images per pass the test budget leaves room for. */
const IMAGES_PER_PASS = 200;

export function bigBatchConfig(batchSize: number): TrainConfig {
  return {
    ...DEFAULT_TRAIN_CONFIG,
    encoder: 'resnet-small',
    widthMultiplier: 1 / 16,
    imageSize: 8,
    batchSize,
    projectionHidden: 16,
    projectionDim: 8,
    optimizer: 'lars',
  };
}

export interface BigBatchResult {
  plan: StepPlan;
  losses: number[];
  /** Largest absolute change of any weight over the steps. */
  weightChange: number;
  /** tf.memory().numTensors after each step (the step's outputs disposed). */
  tensorCounts: number[];
}

/** Trains `steps` steps at `batchSize` on the active backend, in the passes the planner picks for a small budget. */
export async function trainBigBatch(batchSize: number, steps = 2): Promise<BigBatchResult> {
  const config = bigBatchConfig(batchSize);
  const rng = new Rng(batchSize);
  const store = new ImageStore(10);
  for (let i = 0; i < batchSize + 8; i++) store.add(randomImage(rng, 10), `img${i}`);
  const limits = memoryLimitsFor(tf.getBackend() as BackendName, { residentBytes: 0 });
  const budgetBytes = lossBytes(batchSize, config.imageSize) + IMAGES_PER_PASS * stepBytesPerImage(config);
  const planned = planStep(config, { ...limits, budgetBytes });
  if (!planned.fits) throw new Error('the test budget should fit a pass');
  const { plan } = planned;
  const trainer = new Trainer({ ...config, temperature: 0.5, learningRate: 0.3 }, store, {
    samplerSeed: 1,
    augmentSeed: batchSize + 1,
  });
  const { model } = trainer;
  // GPU-to-CPU sync: the test reads the weights before and after.
  const before = await Promise.all(model.params.map((p) => p.variable.data()));
  const losses: number[] = [];
  const tensorCounts: number[] = [];
  try {
    for (let step = 0; step < steps; step++) {
      const { loss } = trainer.step(step, plan.passes, false);
      // GPU-to-CPU sync: the test reads each loss.
      losses.push((await loss.data())[0]!);
      loss.dispose();
      tensorCounts.push(tf.memory().numTensors);
    }
    let weightChange = 0;
    const afterAll = await Promise.all(model.params.map((p) => p.variable.data()));
    afterAll.forEach((after, i) => {
      const was = before[i]!;
      for (let k = 0; k < after.length; k++) weightChange = Math.max(weightChange, Math.abs(after[k]! - was[k]!));
    });
    return { plan, losses, weightChange, tensorCounts };
  } finally {
    trainer.dispose();
  }
}
