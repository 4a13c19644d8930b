/**
 * The augmentation bench, run in a page on the app's own engine code: the fused WGSL augmenter and the
 * tf-ops augmentation side by side on the same backend and shapes, then full training steps (fused
 * augmentation + encoder + head + NT-Xent + optimizer) to get the share of a step spent augmenting.
 * Every timed loop ends with one read-back, so GPU work is counted.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { augmentViews } from '../../../src/core/augment/augment-views';
import { FusedAugmenter, webGpuBudget } from '../../../src/core/augment/batch-augmenter';
import { drawViewParams, type ViewParams } from '../../../src/core/augment/params';
import { EpochSampler } from '../../../src/core/data/epoch-sampler';
import { Rng } from '../../../src/core/random/rng';
import { pairedSourceIndex } from '../../../src/core/train/train-step';
import { Trainer } from '../../../src/core/train/trainer';
import { DEFAULT_TRAIN_CONFIG, SIMCLR_IMAGENET_AUGMENT, type TrainConfig } from '../../../src/protocol/config';
import { syntheticStore } from '../synthetic-store';

export interface AugmentBenchOptions {
  images: number;
  storeSize: number;
  viewSize: number;
  batch: number;
  iterations: number;
  steps: number;
  encoder: TrainConfig['encoder'];
  width: number;
}

export interface AugmentBenchResult {
  backend: string;
  fusedViewsPerS: number;
  tfopsViewsPerS: number;
  augmentMsPerStep: number;
  stepMs: number;
  error?: string;
}

async function timed(iterations: number, run: () => tf.Tensor): Promise<number> {
  // warm-up: compiles the pipelines and uploads the data set
  for (let i = 0; i < 2; i++) await run().data();
  const start = performance.now();
  let last: tf.Tensor | null = null;
  for (let i = 0; i < iterations; i++) {
    last?.dispose();
    last = run();
  }
  // GPU-to-CPU sync: the one read-back that waits for every queued iteration
  await last?.data();
  last?.dispose();
  return (performance.now() - start) / iterations;
}

async function bench(options: AugmentBenchOptions): Promise<AugmentBenchResult> {
  if (!(await tf.setBackend('webgpu'))) throw new Error('WebGPU is not available in this browser');
  const store = syntheticStore(options.images, options.storeSize);
  const sampler = new EpochSampler(store.length, options.batch, 1);
  const rng = new Rng(9);
  const views = 2 * options.batch;
  const draw = (): [Int32Array, ViewParams] => [
    sampler.nextBatch(),
    drawViewParams(rng, views, store.size, SIMCLR_IMAGENET_AUGMENT),
  ];

  const fused = new FusedAugmenter(store, webGpuBudget());
  const fusedMs = await timed(options.iterations, () => {
    const [indices, params] = draw();
    return fused.views(indices, params, options.viewSize);
  });

  // tf ops on the same backend, from a float batch already on the GPU (the upload is not counted)
  const pixels = tf.tidy(() =>
    tf.div(
      tf.cast(
        tf.tensor4d(store.gather(sampler.nextBatch()), [options.batch, store.size, store.size, 3], 'int32'),
        'float32',
      ),
      255,
    ),
  ) as tf.Tensor4D;
  const tfopsMs = await timed(options.iterations, () =>
    augmentViews(pixels, pairedSourceIndex(options.batch), draw()[1], options.viewSize),
  );
  pixels.dispose();

  const config: TrainConfig = {
    ...DEFAULT_TRAIN_CONFIG,
    encoder: options.encoder,
    widthMultiplier: options.width,
    imageSize: options.viewSize,
    batchSize: options.batch,
    augment: SIMCLR_IMAGENET_AUGMENT,
  };
  // Full steps through the app's own trainer (the fused augmenter on WebGPU, as the app runs).
  const trainer = new Trainer({ ...config, temperature: 0.5 }, store, { samplerSeed: 1, augmentSeed: 9 });
  let taken = 0;
  const stepMs = await timed(options.steps, () => trainer.step(taken++, 1, false).loss);
  trainer.dispose();
  fused.dispose();
  return {
    backend: tf.getBackend(),
    fusedViewsPerS: (1000 * views) / fusedMs,
    tfopsViewsPerS: (1000 * views) / tfopsMs,
    augmentMsPerStep: fusedMs,
    stepMs,
  };
}

declare global {
  interface Window {
    runAugmentBench: (options: AugmentBenchOptions) => Promise<AugmentBenchResult>;
  }
}

window.runAugmentBench = bench;
const status = document.getElementById('status');
if (status) status.textContent = 'ready';
