import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { drawViewParams } from '../../src/core/augment/params';
import { type KernelSelection, selectKernels } from '../../src/core/kernels/index';
import { createOptimizer } from '../../src/core/optim/optimizers';
import { Rng } from '../../src/core/random/rng';
import { buildSimclrModel } from '../../src/core/train/simclr-model';
import { trainStep } from '../../src/core/train/train-step';
import {
  DEFAULT_TRAIN_CONFIG,
  type EncoderName,
  type ProjectionHeadName,
  type TrainConfig,
} from '../../src/protocol/config';

/** A training configuration for step tests and the step bench. */
export function fusedConfig(
  encoder: EncoderName,
  imageSize: number,
  batchSize: number,
  projectionHead: ProjectionHeadName,
  widthMultiplier = 1 / 16,
): TrainConfig {
  return {
    ...DEFAULT_TRAIN_CONFIG,
    encoder,
    widthMultiplier,
    imageSize,
    batchSize,
    projectionHead,
    projectionHidden: widthMultiplier < 1 ? 32 : 512,
    projectionDim: widthMultiplier < 1 ? 16 : 128,
  };
}

/**
 * Runs `fn` counting the GPU programs it dispatches (every tfjs webgpu kernel and ours goes through
 * backend.runWebGPUProgram; reshapes and other data-free kernels dispatch nothing).
 */
export function countDispatches<T>(fn: () => T): { result: T; dispatches: number } {
  const backend = tf.backend() as WebGPUBackend;
  const original = backend.runWebGPUProgram;
  let dispatches = 0;
  backend.runWebGPUProgram = function (this: WebGPUBackend, ...args: Parameters<WebGPUBackend['runWebGPUProgram']>) {
    dispatches++;
    return original.apply(this, args);
  };
  try {
    return { result: fn(), dispatches };
  } finally {
    backend.runWebGPUProgram = original;
  }
}

export interface StepRun {
  losses: number[];
  /** tf.profile(step).kernels.length of the last step (tfjs kernel invocations, nested ones included). */
  kernels: number;
  /** Kernel names of the profiled step, most frequent first, with their counts. */
  kernelNames: Array<[string, number]>;
  /** GPU programs dispatched by the last step. */
  dispatches: number;
  /** tf.memory().numTensors after each step. */
  tensorCounts: number[];
  /** Wall time of each step, its loss read back (ms). */
  stepMs: number[];
}

/** One training run (model, optimizer, images, view RNG) whose steps can be interleaved with another's. */
export interface Stepper {
  /** One step with this run's kernel selection; `profile` also counts its kernels and dispatches. */
  step(profile: boolean): Promise<void>;
  run: StepRun;
  /**
   * The encoder's weights (BatchNorm moving statistics included) by name, and the exported inference
   * model's embeddings of the run's images (normalized [0, 1] pixels), read back.
   */
  snapshot(): Promise<{ weights: Map<string, Float32Array>; embeddings: Float32Array }>;
  dispose(): void;
}

/**
 * SimCLR steps from the config's seed on random images, with `selection` of our kernels (switched on
 * before each step, so two steppers can alternate); the same images and view parameters for any
 * selection, so runs can be compared loss for loss.
 */
export function createStepper(config: TrainConfig, selection: KernelSelection): Stepper {
  selectKernels(selection, 'webgpu');
  const model = buildSimclrModel(config);
  const optimizer = createOptimizer(config.optimizer, model.params, { weightDecay: config.weightDecay });
  const rng = new Rng(17);
  const size = config.imageSize;
  const bytes = Int32Array.from({ length: config.batchSize * size * size * 3 }, () => rng.int(256));
  const images = tf.tensor4d(bytes, [config.batchSize, size, size, 3], 'int32');
  const run: StepRun = { losses: [], kernels: 0, kernelNames: [], dispatches: 0, tensorCounts: [], stepMs: [] };
  return {
    run,
    async step(profile: boolean) {
      selectKernels(selection, 'webgpu');
      const views = drawViewParams(rng, 2 * config.batchSize, size, config.augment);
      const inputs = { images, views, viewSize: size, temperature: 0.5, learningRate: 1e-3 };
      const start = performance.now();
      let loss: tf.Scalar;
      if (profile) {
        let counted = 0;
        const info = await tf.profile(() => {
          const { result, dispatches } = countDispatches(() => trainStep(model, optimizer, inputs, false).loss);
          counted = dispatches;
          return result;
        });
        run.kernels = info.kernels.length;
        const names = new Map<string, number>();
        for (const kernel of info.kernels) names.set(kernel.name, (names.get(kernel.name) ?? 0) + 1);
        run.kernelNames = [...names].sort((a, b) => b[1] - a[1]);
        run.dispatches = counted;
        loss = info.result as tf.Scalar;
      } else {
        loss = trainStep(model, optimizer, inputs, false).loss;
      }
      // GPU-to-CPU sync: the step's loss, once per step (a test, not the training loop)
      run.losses.push((await loss.data())[0]!);
      run.stepMs.push(performance.now() - start);
      loss.dispose();
      run.tensorCounts.push(tf.memory().numTensors);
    },
    async snapshot() {
      const weights = new Map<string, Float32Array>();
      for (const weight of model.encoderModel.weights) {
        weights.set(weight.name, (await weight.read().data()) as Float32Array);
      }
      const embedded = tf.tidy(() => model.encoderModel.predict(tf.div(tf.cast(images, 'float32'), 255)) as tf.Tensor);
      const embeddings = (await embedded.data()) as Float32Array;
      embedded.dispose();
      return { weights, embeddings };
    },
    dispose() {
      images.dispose();
      optimizer.dispose();
      model.dispose();
      selectKernels('stock', 'webgpu');
    },
  };
}

/** `steps` steps of one run, the last one profiled; then its snapshot. */
export async function runSteps(
  config: TrainConfig,
  selection: KernelSelection,
  steps: number,
): Promise<StepRun & Awaited<ReturnType<Stepper['snapshot']>>> {
  const stepper = createStepper(config, selection);
  try {
    for (let step = 0; step < steps; step++) await stepper.step(step === steps - 1);
    return { ...stepper.run, ...(await stepper.snapshot()) };
  } finally {
    stepper.dispose();
  }
}
