import * as tf from '@tensorflow/tfjs';
import { drawViewParams } from '../core/augment/params';
import { EpochSampler } from '../core/data/epoch-sampler';
import type { ImageStore } from '../core/data/image-store';
import { createOptimizer, type Optimizer } from '../core/optim/optimizers';
import { warmupCosineLearningRate, warmupStepCount } from '../core/optim/schedule';
import { Rng } from '../core/random/rng';
import { batchSimilarity } from '../core/train/batch-similarity';
import { buildSimclrModel, type SimclrModel } from '../core/train/simclr-model';
import { trainStep } from '../core/train/train-step';
import { type TrainConfig, totalSteps } from '../protocol/config';
import type { TrainPhase } from '../protocol/messages';
import type { Emit } from './ingest';

/** Side of the similarity heat map in images (2x this in views). */
const HEATMAP_IMAGES = 32;

/** Lets queued commands (pause, stop, export) run between steps. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Seed offset so the augmentation stream differs from the sampler's. */
const AUGMENT_SEED_OFFSET = 0x5eed;

/**
 * One training run: the SimCLR loop with its pause/resume/stop state machine. Losses stay on the GPU
 * and are read back together every `metricsEvery` steps.
 */
export class TrainingRun {
  phase: TrainPhase = 'preparing';
  step = 0;
  lastLoss: number | null = null;
  readonly model: SimclrModel;
  readonly total: number;
  private readonly optimizer: Optimizer;
  private stopRequested = false;
  private resumeWaiter: (() => void) | null = null;
  private pauseRequested = false;

  constructor(
    readonly config: TrainConfig,
    private readonly store: ImageStore,
    private readonly emit: Emit,
  ) {
    this.total = totalSteps(config, store.length);
    this.setPhase('preparing', 'Building the network…');
    this.model = buildSimclrModel(config);
    this.optimizer = createOptimizer(config.optimizer, this.model.params, { weightDecay: config.weightDecay });
    emit({
      type: 'modelInfo',
      summary: {
        encoder: config.encoder,
        encoderParams: this.model.encoderParamCount,
        headParams: this.model.headParamCount,
        representationDim: this.model.encoder.representationDim,
      },
    });
  }

  get active(): boolean {
    return (
      this.phase === 'preparing' || this.phase === 'running' || this.phase === 'paused' || this.phase === 'stopping'
    );
  }

  pause(): void {
    if (this.phase === 'running') this.pauseRequested = true;
  }

  resume(): void {
    this.pauseRequested = false;
    this.resumeWaiter?.();
  }

  stop(): void {
    if (!this.active) return;
    this.stopRequested = true;
    this.setPhase('stopping', 'Stopping after the current step…');
    this.resumeWaiter?.();
  }

  dispose(): void {
    this.optimizer.dispose();
    this.model.dispose();
  }

  private setPhase(phase: TrainPhase, message = ''): void {
    this.phase = phase;
    this.emit({ type: 'trainState', phase, step: this.step, totalSteps: this.total, message });
  }

  async run(): Promise<void> {
    const { config, store } = this;
    const batch = config.batchSize;
    const sampler = new EpochSampler(store.length, batch, config.seed);
    const augmentRng = new Rng(config.seed + AUGMENT_SEED_OFFSET);
    const warmupSteps = warmupStepCount(this.total, config.warmupFraction);
    let pendingLosses: tf.Scalar[] = [];
    let pendingRates: number[] = [];
    let intervalStart = performance.now();
    let intervalSteps = 0;
    this.setPhase('running');
    try {
      while (this.step < this.total && !this.stopRequested) {
        if (this.pauseRequested) {
          this.setPhase('paused', 'Paused: press Resume to continue.');
          await new Promise<void>((resolve) => {
            this.resumeWaiter = resolve;
          });
          this.resumeWaiter = null;
          if (this.stopRequested) break;
          this.setPhase('running');
          intervalStart = performance.now();
          intervalSteps = 0;
        }
        const indices = sampler.nextBatch();
        const views = drawViewParams(augmentRng, 2 * batch, store.size, config.augment);
        const learningRate = warmupCosineLearningRate(this.step, this.total, config.learningRate, warmupSteps);
        const wantMetrics = (this.step + 1) % config.metricsEvery === 0 || this.step + 1 === this.total;
        const images = tf.tensor4d(store.gather(indices), [batch, store.size, store.size, 3], 'int32');
        const { loss, projections } = trainStep(
          this.model,
          this.optimizer,
          { images, views, viewSize: config.imageSize, temperature: config.temperature, learningRate },
          wantMetrics,
        );
        images.dispose();
        pendingLosses.push(loss);
        pendingRates.push(learningRate);
        this.step += 1;
        intervalSteps += 1;
        if (wantMetrics && projections) {
          const firstStep = this.step - pendingLosses.length + 1;
          await this.readMetrics(pendingLosses, projections, pendingRates, firstStep, intervalStart, intervalSteps);
          pendingLosses = [];
          pendingRates = [];
          intervalStart = performance.now();
          intervalSteps = 0;
        }
        this.emit({ type: 'trainState', phase: this.phase, step: this.step, totalSteps: this.total, message: '' });
        await yieldToEventLoop();
      }
      tf.dispose(pendingLosses);
      this.setPhase(
        this.stopRequested ? 'stopped' : 'done',
        this.stopRequested ? `Stopped at step ${this.step}.` : `Finished ${this.step} steps.`,
      );
    } catch (error) {
      tf.dispose(pendingLosses);
      this.stopRequested = true;
      const message = error instanceof Error ? error.message : String(error);
      this.setPhase('error', explainTrainingError(message, config));
      throw error;
    }
  }

  private async readMetrics(
    losses: tf.Scalar[],
    projections: tf.Tensor2D,
    rates: number[],
    firstStep: number,
    intervalStart: number,
    intervalSteps: number,
  ): Promise<void> {
    const similarity = batchSimilarity(projections, HEATMAP_IMAGES);
    projections.dispose();
    const stacked = tf.stack(losses);
    tf.dispose(losses);
    // GPU-to-CPU sync: the only read-back in the loop, every metricsEvery steps.
    const [lossValues, positive, negative, matrix] = await Promise.all([
      stacked.data() as Promise<Float32Array>,
      similarity.positive.data(),
      similarity.negative.data(),
      similarity.matrix.data() as Promise<Float32Array>,
    ]);
    const size = similarity.matrix.shape[0];
    tf.dispose([stacked, similarity.positive, similarity.negative, similarity.matrix]);
    const bad = lossValues.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new Error(
        `The loss became ${lossValues[bad]} at step ${firstStep + bad}: training diverged. Lower the learning rate or raise the temperature, then start again.`,
      );
    }
    const seconds = (performance.now() - intervalStart) / 1000;
    const imagesPerSecond = seconds > 0 ? (intervalSteps * this.config.batchSize) / seconds : 0;
    const secondsPerStep = intervalSteps > 0 ? seconds / intervalSteps : 0;
    this.lastLoss = lossValues[lossValues.length - 1] ?? null;
    const learningRates = Float32Array.from(rates);
    this.emit(
      {
        type: 'metrics',
        firstStep,
        losses: lossValues,
        learningRates,
        imagesPerSecond,
        etaSeconds: secondsPerStep * (this.total - this.step),
        positiveSimilarity: positive[0] ?? Number.NaN,
        negativeSimilarity: negative[0] ?? Number.NaN,
        similarity: matrix,
        similaritySize: size,
      },
      [lossValues.buffer, learningRates.buffer, matrix.buffer],
    );
  }
}

/** Turns engine errors into advice a person can act on. */
function explainTrainingError(message: string, config: TrainConfig): string {
  if (/out of memory|OOM|allocation|exceeds the max/i.test(message)) {
    return `The GPU ran out of memory at batch size ${config.batchSize} and image size ${config.imageSize} px: lower the batch size, the image size or the width multiplier, then start again. (${message})`;
  }
  if (/device.*lost|GPUDevice/i.test(message)) {
    return `The GPU device was lost (driver reset or the tab was in the background too long). Reload the page to start the backend again. (${message})`;
  }
  return message;
}
