/**
 * The engine-facing half of the training-speed bench, shared by the page (train/main.ts, headless
 * Chromium) and the Node runner (node-runner.ts, Dawn): the app's real SimCLR step (src/core/train:
 * augmentation as the app picks it per backend, encoder, head, NT-Xent, optimizer) timed on whatever tfjs
 * backend is active, with our custom kernels switched on or off. Imports tfjs and src/core only.
 */
import * as tf from '@tensorflow/tfjs';
import { defineAllCustomKernels, selectKernels } from '../../../src/core/kernels';
import { Trainer } from '../../../src/core/train/trainer';
import { DEFAULT_TRAIN_CONFIG, SIMCLR_IMAGENET_AUGMENT, type TrainConfig } from '../../../src/protocol/config';
import { syntheticStore } from '../synthetic-store';
import type { TrainCase } from './cases';

export type KernelMode = 'custom' | 'stock';

export interface CaseResult {
  backend: string;
  kernels: KernelMode;
  /** Ids of our kernels that were switched on (empty for 'stock', or where none exist yet). */
  customKernels: string[];
  /** Seconds of the first step, read-back included: pipeline (shader) compilation plus one step. */
  warmupS: number;
  /** Milliseconds per step over the timed steps. */
  stepMs: number;
  viewsPerS: number;
  /** tfjs kernel invocations in one step (tf.profile(...).kernels.length). */
  kernelsPerStep: number;
  /** tf.profile's peakBytes: the most tensor bytes alive at once during a step (model, slots, data set included). */
  peakBytes: number;
  /** Tensor bytes alive before the step: weights, optimizer slots, the resident data set. */
  residentBytes: number;
  /** Whether tfjs's compiled-pipeline cache was emptied before this case (so warm-up compiles again). */
  pipelineCacheCleared: boolean;
  /** Loss of the last timed step (a sanity check: finite). */
  lastLoss: number;
  /** Tensors alive after the case minus before it (0: nothing leaked). */
  tensorsLeaked: number;
}

/**
 * Empties tfjs-webgpu's compiled-pipeline cache, so the next case's warm-up compiles its shaders again
 * instead of reusing the previous case's (the browser's or Dawn's own shader cache is not reached).
 */
function clearPipelineCache(): boolean {
  if (tf.getBackend() !== 'webgpu') return false;
  const backend = tf.backend() as unknown as { pipelineCache?: Record<string, unknown> };
  if (!backend.pipelineCache) return false;
  backend.pipelineCache = {};
  return true;
}

/** One case on the active backend: warm-up steps, `c.steps` timed steps, one profiled step. */
async function measure(c: TrainCase, kernels: KernelMode): Promise<CaseResult> {
  const backend = tf.getBackend();
  defineAllCustomKernels();
  const customKernels = selectKernels(kernels, backend);
  const pipelineCacheCleared = clearPipelineCache();

  const config: TrainConfig = {
    ...DEFAULT_TRAIN_CONFIG,
    encoder: c.encoder,
    widthMultiplier: c.widthMultiplier,
    stem: c.stem,
    imageSize: c.imageSize,
    batchSize: c.batchSize,
    augment: SIMCLR_IMAGENET_AUGMENT,
  };
  const store = syntheticStore(c.images, c.storeSize);
  // The app's own trainer: fused WGSL augmentation on WebGPU (data set resident on the GPU), tf ops elsewhere.
  const trainer = new Trainer(config, store, { samplerSeed: 1, augmentSeed: 9 });
  // One chunk (the whole batch) is the plain trainStep.
  const chunks = c.chunkSize ? c.batchSize / c.chunkSize : 1;
  let taken = 0;
  const step = (): tf.Scalar => trainer.step(taken++, chunks, false).loss;

  try {
    const warmStart = performance.now();
    for (let i = 0; i < (c.warmupSteps ?? 1); i++) {
      const first = step();
      // GPU-to-CPU sync: waits for the warm-up step, so its time includes compiling every pipeline it uses.
      await first.data();
      first.dispose();
    }
    const warmupS = (performance.now() - warmStart) / 1000;

    const start = performance.now();
    let last: tf.Scalar | null = null;
    for (let i = 0; i < c.steps; i++) {
      // disposing a queued step's loss is safe: tfjs frees the buffer once the GPU is done with it
      last?.dispose();
      last = step();
    }
    // GPU-to-CPU sync: the one read-back of the timed loop, which waits for every queued step.
    const lastLoss = last ? ((await last.data())[0] ?? Number.NaN) : Number.NaN;
    last?.dispose();
    const stepMs = (performance.now() - start) / c.steps;

    const residentBytes = tf.memory().numBytes;
    const profile = await tf.profile(async () => {
      const loss = step();
      // GPU-to-CPU sync: the profiled step finishes before its per-kernel figures are collected.
      await loss.data();
      return loss;
    });
    (profile.result as tf.Tensor).dispose();

    return {
      backend,
      kernels,
      customKernels,
      warmupS,
      stepMs,
      viewsPerS: (1000 * 2 * c.batchSize) / stepMs,
      kernelsPerStep: profile.kernels.length,
      peakBytes: profile.peakBytes,
      residentBytes,
      pipelineCacheCleared,
      lastLoss,
      tensorsLeaked: 0,
    };
  } finally {
    trainer.dispose();
    selectKernels('stock', backend);
  }
}

/** Measures one case, then counts tensors left after everything was disposed (a leak would skew later cases). */
export async function runTrainCase(c: TrainCase, kernels: KernelMode): Promise<CaseResult> {
  const before = tf.memory().numTensors;
  const result = await measure(c, kernels);
  return { ...result, tensorsLeaked: tf.memory().numTensors - before };
}
