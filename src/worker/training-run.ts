import * as tf from '@tensorflow/tfjs';
import { type BatchAugmenter, createAugmenter } from '../core/augment/batch-augmenter';
import { drawViewParams } from '../core/augment/params';
import { MetricsHistory } from '../core/checkpoint/history';
import { captureTrainingState, restoreTrainingState, type TrainingState } from '../core/checkpoint/training-state';
import { EpochSampler } from '../core/data/epoch-sampler';
import type { ImageStore } from '../core/data/image-store';
import { type EncoderWeights, loadEncoderWeights } from '../core/export/torchvision-weights';
import { createOptimizer, type Optimizer } from '../core/optim/optimizers';
import { warmupCosineLearningRate, warmupStepCount } from '../core/optim/schedule';
import { Rng } from '../core/random/rng';
import { buildSimclrModel, type SimclrModel } from '../core/train/simclr-model';
import { type AugmentConfig, peakLearningRate, type TrainConfig, totalSteps } from '../protocol/config';
import type { TrainPhase } from '../protocol/messages';
import type { StepPlan } from '../protocol/step-memory';
import type { Emit } from './ingest';
import { metricsEvent, readBackMetrics } from './metrics-readback';
import { type EvaluationTiming, runSpeed } from './run-speed';
import { StepClock } from './step-clock';
import { StepPasses } from './step-passes';
import { explainTrainingError } from './training-error-advice';

export type { EvaluationTiming } from './run-speed';

/** Lets queued commands (pause, stop, export) run between steps. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Seed offset so the augmentation stream differs from the sampler's. */
const AUGMENT_SEED_OFFSET = 0x5eed;

/** Checkpointing hooks (src/worker/checkpoints/autosave.ts implements them). */
export interface RunCheckpointer {
  /** Whether a checkpoint should be written once step `step` is done. */
  due(step: number, total: number): boolean;
  /** Writes a checkpoint of `run` (called between steps); must not throw. */
  save(run: TrainingRun): Promise<void>;
  /** Step of the last checkpoint written (null before any). */
  readonly savedStep: number | null;
}

export interface TrainingRunOptions {
  /** Continue from this state instead of the seeded initial one. */
  from?: TrainingState;
  checkpointer?: RunCheckpointer;
  /** Fingerprint of the data set, stored in checkpoints. */
  datasetFingerprint?: string;
  /** Go straight to 'paused' when run() starts (an imported checkpoint waits for Resume). */
  startPaused?: boolean;
  /** Encoder weights to start from instead of the seeded ones ("Start from weights"; `from` overrides them). */
  initialWeights?: EncoderWeights;
}

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
  readonly optimizer: Optimizer;
  /** Built when the run starts (a restored run that is only explored never needs one). */
  private sampler: EpochSampler | null = null;
  private readonly augmentRng: Rng;
  /** Augmentation from the next step on: setAugment swaps it between steps. */
  private augment: AugmentConfig;
  /** Makes each step's views: fused WGSL over the GPU-resident data set on webgpu, tf ops elsewhere. */
  private augmenter: BatchAugmenter | null = null;
  /** Per-step losses and rates, for checkpoints (the charts are redrawn from it after a resume). */
  readonly history: MetricsHistory;
  private stopRequested = false;
  /** Set by settle(): a run that must not train on (no images, or restored after divergence). */
  private settled = false;
  /** Step the run started from (a restored run's checkpoint step): steps up to it are not unsaved work. */
  private readonly startStep: number;
  /** Images the run was built for: Continue refuses once the data set changed. */
  private readonly imageCount: number;
  private resumeWaiter: (() => void) | null = null;
  private pauseRequested = false;
  /** Called between steps with the step just done (the embedding map's chunks run here: worker/evaluation.ts). */
  onStep: ((step: number) => Promise<void>) | null = null;
  /** The embedding passes still to come, for the ETA (worker/evaluation.ts sets it with onStep). */
  evaluationTiming: (() => EvaluationTiming) | null = null;
  /** Seconds per step, without warm-up, pauses and the embedding map's chunks (worker/step-clock.ts). */
  private readonly clock = new StepClock();
  /** How a step is split into passes, and smaller passes after running out of memory (worker/step-passes.ts). */
  private readonly passes: StepPasses;

  constructor(
    readonly config: TrainConfig,
    private readonly store: ImageStore,
    private readonly emit: Emit,
    readonly options: TrainingRunOptions = {},
  ) {
    this.total = totalSteps(config, store.length);
    this.imageCount = store.length;
    this.startStep = options.from?.step ?? 0;
    this.setPhase('preparing', 'Building the network…');
    this.model = buildSimclrModel(config);
    this.optimizer = createOptimizer(config.optimizer, this.model.params, { weightDecay: config.weightDecay });
    this.passes = new StepPasses(config, store, this.model, emit);
    const from = options.from;
    this.pauseRequested = options.startPaused ?? false;
    this.augmentRng = new Rng(from ? from.augmentRng : config.seed + AUGMENT_SEED_OFFSET);
    this.augment = config.augment;
    this.history = new MetricsHistory(from?.history);
    if (options.initialWeights && !from) {
      try {
        loadEncoderWeights(this.model, config, options.initialWeights);
      } catch (error) {
        this.dispose();
        this.setPhase('idle', 'The weights could not be loaded.');
        throw error;
      }
    }
    if (from) {
      try {
        restoreTrainingState(from, { model: this.model, optimizer: this.optimizer });
      } catch (error) {
        this.dispose();
        this.setPhase('idle', 'The checkpoint could not be restored.');
        throw error;
      }
      this.step = from.step;
      this.lastLoss = from.lastLoss;
    }
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

  /** How a step is split into passes (src/core/train/chunked-step.ts); planned when run() starts. */
  get stepPlan(): StepPlan | null {
    return this.passes.current;
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

  /** A restored run that will not train (its data set is not loaded): settles as 'stopped' with `message`. */
  settle(message: string): void {
    this.settled = true;
    this.setPhase('stopped', message);
  }

  /** Whether Continue can train this run on to its planned total: stopped early, on the images it was built for. */
  canContinueOn(store: ImageStore): boolean {
    return this.canContinue && store === this.store && store.length === this.imageCount;
  }

  private get canContinue(): boolean {
    return this.phase === 'stopped' && !this.settled && this.step < this.total;
  }

  /** Makes a stopped run ready for run() again: same weights, optimizer, sampler, generator and schedule. */
  continueAfterStop(): void {
    this.stopRequested = false;
    this.pauseRequested = false;
  }

  /** Steps trained since the last checkpoint was written (or since the run was restored). */
  private get hasUnsavedSteps(): boolean {
    const saved = this.options.checkpointer?.savedStep ?? null;
    return this.step > Math.max(saved ?? 0, this.startStep);
  }

  /** Changes the augmentation; the step after the current one uses it. */
  setAugment(augment: AugmentConfig): void {
    this.augment = augment;
  }

  get currentAugment(): AugmentConfig {
    return this.augment;
  }

  /** The run's augmenter, built on first use (on webgpu the data set goes to the GPU once per run). */
  viewMaker(): BatchAugmenter {
    this.augmenter ??= createAugmenter(this.store);
    return this.augmenter;
  }

  dispose(): void {
    this.augmenter?.dispose();
    this.augmenter = null;
    this.optimizer.dispose();
    this.model.dispose();
  }

  private setPhase(phase: TrainPhase, message = ''): void {
    this.phase = phase;
    const canContinue = this.canContinue;
    this.emit({ type: 'trainState', phase, step: this.step, totalSteps: this.total, message, canContinue });
  }

  /** The full training state; call between steps (reads every weight back from the GPU). */
  capture(): Promise<TrainingState> {
    return captureTrainingState({
      step: this.step,
      // the augmentation as it is now: a change made during the run is resumed with it
      config: { ...this.config, augment: this.augment },
      model: this.model,
      optimizer: this.optimizer,
      sampler: this.sampler?.state() ?? this.options.from?.sampler ?? new EpochSampler(2, 1, this.config.seed).state(),
      augmentRng: this.augmentRng.state(),
      datasetFingerprint: this.options.datasetFingerprint ?? '',
      imageCount: this.store.length,
      lastLoss: this.lastLoss,
      history: this.history.snapshot(),
    });
  }

  async run(): Promise<void> {
    const { config, store, augmentRng } = this;
    const from = this.options.from;
    // A run continued after Stop keeps its sampler where it was.
    const sampler = this.sampler ?? new EpochSampler(store.length, config.batchSize, from ? from.sampler : config.seed);
    this.sampler = sampler;
    const checkpointer = this.options.checkpointer;
    const batch = config.batchSize;
    const warmupSteps = warmupStepCount(this.total, config.warmupFraction);
    const augmenter = this.viewMaker();
    let pendingLosses: tf.Scalar[] = [];
    let pendingRates: number[] = [];
    /** Pause and Stop save the steps no checkpoint has yet, with the losses the charts have not seen. */
    const saveUnsavedSteps = async (): Promise<void> => {
      if (!checkpointer || !this.hasUnsavedSteps) return;
      if (pendingLosses.length > 0) {
        await this.readMetrics(pendingLosses, pendingRates);
        pendingLosses = [];
        pendingRates = [];
      }
      await checkpointer.save(this);
    };
    this.setPhase('running');
    this.clock.restart();
    try {
      // Throws StepDoesNotFitError (a message naming the setting and a batch that fits) before any step.
      this.passes.plan();
      while (this.step < this.total && !this.stopRequested) {
        if (this.pauseRequested) {
          await saveUnsavedSteps();
          this.setPhase('paused', 'Paused: press Resume to continue.');
          await new Promise<void>((resolve) => {
            this.resumeWaiter = resolve;
          });
          this.resumeWaiter = null;
          if (this.stopRequested) break;
          this.setPhase('running');
          this.clock.restart();
        }
        const indices = sampler.nextBatch();
        const views = drawViewParams(augmentRng, 2 * batch, store.size, this.augment);
        const learningRate = warmupCosineLearningRate(this.step, this.total, peakLearningRate(config), warmupSteps);
        const saveAfter = checkpointer?.due(this.step + 1, this.total) ?? false;
        const wantMetrics = (this.step + 1) % config.metricsEvery === 0 || this.step + 1 === this.total || saveAfter;
        const input = {
          augment: () => augmenter.views(indices, views, config.imageSize),
          temperature: config.temperature,
          learningRate,
        };
        const { loss, projections, representations } = this.passes.train(this.optimizer, input, wantMetrics);
        pendingLosses.push(loss);
        pendingRates.push(learningRate);
        this.step += 1;
        this.clock.stepTaken();
        const sync = wantMetrics || this.clock.wantsSync;
        if (wantMetrics && projections) {
          await this.readMetrics(pendingLosses, pendingRates, projections, representations);
          pendingLosses = [];
          pendingRates = [];
        } else if (sync) {
          // GPU-to-CPU sync: only the first steps after a (re)start, so the step clock has figures soon.
          await loss.data();
        }
        // Saved before the step is announced, so a reload after the UI shows step n resumes from n.
        if (saveAfter && checkpointer) await checkpointer.save(this);
        if (sync) this.clock.synced();
        const progress = {
          phase: this.phase,
          step: this.step,
          totalSteps: this.total,
          message: '',
          canContinue: false,
        };
        this.emit({ type: 'trainState', ...progress });
        if (this.onStep) {
          const started = performance.now();
          await this.onStep(this.step);
          this.clock.exclude(performance.now() - started);
        }
        await yieldToEventLoop();
      }
      // A stopped run is saved where it stopped.
      await saveUnsavedSteps();
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

  /** Reads back the losses of the last `losses.length` steps (and the last batch's views) and emits the metrics. */
  private async readMetrics(
    losses: tf.Scalar[],
    rates: number[],
    projections: tf.Tensor2D | null = null,
    representations: tf.Tensor2D | null = null,
  ): Promise<void> {
    const firstStep = this.step - losses.length + 1;
    const read = await readBackMetrics(losses, firstStep, projections, representations);
    const progress = { step: this.step, total: this.total, batchSize: this.config.batchSize };
    const speed = runSpeed(progress, this.clock.secondsPerStep, this.evaluationTiming?.() ?? null);
    this.lastLoss = read.losses[read.losses.length - 1] ?? null;
    const learningRates = Float32Array.from(rates);
    this.history.record(firstStep, read.losses, learningRates, {
      step: this.step,
      positive: read.positive,
      negative: read.negative,
    });
    this.emit(...metricsEvent(read, learningRates, speed));
  }
}
