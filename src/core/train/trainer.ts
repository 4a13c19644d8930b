import type * as tf from '@tensorflow/tfjs';
import { type AugmentConfig, peakLearningRate, type TrainConfig } from '../../protocol/config';
import { type BatchAugmenter, createAugmenter } from '../augment/batch-augmenter';
import { drawViewParams, selectViews, type ViewParams } from '../augment/params';
import { EpochSampler, type SamplerState } from '../data/epoch-sampler';
import type { ImageStore } from '../data/image-store';
import { createOptimizer, type Optimizer } from '../optim/optimizers';
import { warmupCosineLearningRate, warmupStepCount } from '../optim/schedule';
import { Rng, type RngState } from '../random/rng';
import { chunkedTrainStep } from './chunked-step';
import { buildSimclrModel, type SimclrModel } from './simclr-model';
import type { StepOutputs } from './train-step';

/** Seed offset so the augmentation stream differs from the sampler's. */
export const AUGMENT_SEED_OFFSET = 0x5eed;

/** Where the sampler and the augmentation generator continue from (a checkpoint's). */
export interface TrainerResumeState {
  sampler: SamplerState;
  augmentRng: RngState;
}

/** Which images a step trains on. */
export interface BatchSource {
  nextBatch(): Int32Array;
}

export interface TrainerOptions {
  /** Steps of the whole run: the learning-rate schedule's length (default: a constant peak rate). */
  totalSteps?: number;
  /** Continue the sampler and generator from here instead of from config.seed. */
  from?: TrainerResumeState;
  /** Batches from elsewhere (the probe trains on one batch over and over); default: an EpochSampler. */
  batches?: BatchSource;
  /** Seed of the augmentation generator (default config.seed + AUGMENT_SEED_OFFSET). */
  augmentSeed?: number;
  /** Seed of the default sampler (default config.seed). */
  samplerSeed?: number;
}

/** What one step trains on: drawn on the CPU from the seeded generators. */
export interface StepDraw {
  /** Images of the batch. */
  indices: Int32Array;
  /** Parameters of the 2B views. */
  views: ViewParams;
  learningRate: number;
}

/** One step's results: the loss (still on the GPU) and, when asked, the views' z and h. */
export interface TrainerStep extends StepOutputs, StepDraw {}

/**
 * Owns everything a SimCLR step needs: model, optimizer, sampler, augmenter, the augmentation generator
 * and the learning-rate schedule. The worker's run, auto-configure's probe and the benches all train
 * through `step()`, so the step is wired in this one place. Nothing is read back to the CPU here.
 */
export class Trainer {
  readonly model: SimclrModel;
  readonly optimizer: Optimizer;
  /** The augmentation of the next step (a live change swaps it between steps). */
  augment: AugmentConfig;
  private readonly augmentRng: Rng;
  private readonly peakRate: number;
  private readonly warmupSteps: number;
  /** Built on first use: a restored run that is only explored never needs them. */
  private sampler: BatchSource | null;
  private augmenter: BatchAugmenter | null = null;

  constructor(
    readonly config: TrainConfig,
    private readonly store: ImageStore,
    private readonly options: TrainerOptions = {},
  ) {
    this.model = buildSimclrModel(config);
    try {
      this.optimizer = createOptimizer(config.optimizer, this.model.params, { weightDecay: config.weightDecay });
    } catch (error) {
      this.model.dispose();
      throw error;
    }
    this.augment = config.augment;
    this.augmentRng = new Rng(options.from?.augmentRng ?? options.augmentSeed ?? config.seed + AUGMENT_SEED_OFFSET);
    this.peakRate = peakLearningRate(config);
    this.warmupSteps = warmupStepCount(options.totalSteps ?? 0, config.warmupFraction);
    this.sampler = options.batches ?? null;
  }

  /** The learning rate of 0-based step `step`: warm-up then cosine decay over totalSteps (SimCLR B.1). */
  learningRate(step: number): number {
    const total = this.options.totalSteps;
    return total === undefined ? this.peakRate : warmupCosineLearningRate(step, total, this.peakRate, this.warmupSteps);
  }

  /** The augmenter; on webgpu the data set goes to the GPU once, on first use. */
  viewMaker(): BatchAugmenter {
    this.augmenter ??= createAugmenter(this.store);
    return this.augmenter;
  }

  private batches(): BatchSource {
    this.sampler ??= new EpochSampler(
      this.store.length,
      this.config.batchSize,
      this.options.from?.sampler ?? this.options.samplerSeed ?? this.config.seed,
    );
    return this.sampler;
  }

  /** Draws the batch, its view parameters and the learning rate of 0-based step `step`. */
  draw(step: number): StepDraw {
    const indices = this.batches().nextBatch();
    const views = drawViewParams(this.augmentRng, 2 * indices.length, this.store.size, this.augment);
    return { indices, views, learningRate: this.learningRate(step) };
  }

  /**
   * One optimizer step on `draw` in `passes` passes (core/train/chunked-step.ts): augments on the GPU and
   * updates the weights. The same draw may be trained again (in more passes) after it ran out of memory.
   */
  train(draw: StepDraw, passes: number, keepProjections: boolean): TrainerStep {
    const augmenter = this.viewMaker();
    const input = {
      augment: () => augmenter.views(draw.indices, draw.views, this.config.imageSize),
      augmentImages: {
        batch: draw.indices.length,
        views: (start: number, size: number) => this.chunkViews(augmenter, draw, start, size),
      },
      temperature: this.config.temperature,
      learningRate: draw.learningRate,
    };
    return { ...chunkedTrainStep(this.model, this.optimizer, input, passes, keepProjections), ...draw };
  }

  /** Both views of the draw's images start..start+size-1: [2 size, s, s, 3], first views then second views. */
  private chunkViews(augmenter: BatchAugmenter, draw: StepDraw, start: number, size: number): tf.Tensor4D {
    const batch = draw.indices.length;
    const views = Int32Array.from({ length: 2 * size }, (_, i) => (i < size ? start + i : batch + start + i - size));
    return augmenter.views(
      draw.indices.slice(start, start + size),
      selectViews(draw.views, views),
      this.config.imageSize,
    );
  }

  /** draw(step), then train it. */
  step(step: number, passes: number, keepProjections: boolean): TrainerStep {
    return this.train(this.draw(step), passes, keepProjections);
  }

  /** The sampler's and generator's state, for a checkpoint (the seeded start when no step was taken). */
  resumeState(): TrainerResumeState {
    const sampler = this.sampler instanceof EpochSampler ? this.sampler.state() : null;
    return {
      sampler: sampler ?? this.options.from?.sampler ?? new EpochSampler(2, 1, this.config.seed).state(),
      augmentRng: this.augmentRng.state(),
    };
  }

  dispose(): void {
    this.augmenter?.dispose();
    this.augmenter = null;
    this.optimizer.dispose();
    this.model.dispose();
  }
}
