import type * as tf from '@tensorflow/tfjs';
import type { BatchAugmenter } from '../core/augment/batch-augmenter';
import { MetricsHistory } from '../core/checkpoint/history';
import { captureTrainingState, restoreTrainingState, type TrainingState } from '../core/checkpoint/training-state';
import type { ImageStore } from '../core/data/image-store';
import { type EncoderWeights, loadEncoderWeights } from '../core/export/torchvision-weights';
import type { Optimizer } from '../core/optim/optimizers';
import type { SimclrModel } from '../core/train/simclr-model';
import { Trainer } from '../core/train/trainer';
import { type AugmentConfig, type TrainConfig, totalSteps } from '../protocol/config';
import type { TrainPhase } from '../protocol/messages';
import type { StepPlan } from '../protocol/step-memory';
import { adviceFor, injectedStepFault } from './faults';
import type { Emit } from './ingest';
import { metricsEvent, readBackMetrics } from './metrics-readback';
import { PendingLosses } from './pending-losses';
import { type EvaluationTiming, runSpeed } from './run-speed';
import { isActive, nextRunState, PHASE_OF, type RunInput, type RunState, takesInput } from './run-state';
import { StepClock } from './step-clock';
import { StepPasses } from './step-passes';

export type { EvaluationTiming } from './run-speed';

/** Lets queued commands (pause, stop, export) run between steps. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Checkpointing hooks (src/worker/checkpoints/autosave.ts implements them). */
export interface RunCheckpointer {
  /** Whether a checkpoint should be written once step `step` is done. Pure: asking twice gives the same answer. */
  due(step: number, total: number): boolean;
  /**
   * Writes a checkpoint of `run` (called between steps); must not throw. `afterDue`: the step just done
   * was `due`; false when a pause, stop or end of the run saves the steps no checkpoint has yet.
   */
  save(run: TrainingRun, afterDue: boolean): Promise<void>;
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
  /** Said beside the first step plan: why this run's step differs from the one asked for (an out-of-memory retry). */
  planNote?: string;
}

/** The losses of the steps since the last read-back, and the last step's views when it kept them. */
interface MetricsToRead {
  losses: tf.Scalar[];
  learningRates: Float32Array;
  projections?: tf.Tensor2D | null;
  representations?: tf.Tensor2D | null;
}

/**
 * One training run: the loop around Trainer.step, with the state machine of worker/run-state.ts. Losses
 * stay on the GPU and are read back together every `metricsEvery` steps.
 */
export class TrainingRun {
  private state: RunState = 'preparing';
  step = 0;
  lastLoss: number | null = null;
  readonly total: number;
  /** Model, optimizer, sampler, augmenter, generator and schedule: makes each step (core/train/trainer.ts). */
  private readonly trainer: Trainer;
  /** Per-step losses and rates, for checkpoints (the charts are redrawn from it after a resume). */
  readonly history: MetricsHistory;
  /** Step the run started from (a restored run's checkpoint step): steps up to it are not unsaved work. */
  private readonly startStep: number;
  /** Images the run was built for: Continue refuses once the data set changed. */
  private readonly imageCount: number;
  /** An imported run pauses as soon as its loop begins (once). */
  private holdAtStart: boolean;
  private resumeWaiter: (() => void) | null = null;
  /** Called between steps with the step just done (the embedding map's chunks run here: worker/evaluation.ts). */
  onStep: ((step: number) => Promise<void>) | null = null;
  /** The embedding passes still to come, for the ETA (worker/evaluation.ts sets it with onStep). */
  evaluationTiming: (() => EvaluationTiming) | null = null;
  /** Seconds per step, without warm-up, pauses and the embedding map's chunks (worker/step-clock.ts). */
  private readonly clock = new StepClock();
  /** How a step is split into passes, and smaller passes after running out of memory (worker/step-passes.ts). */
  private readonly passes: StepPasses;
  /** Steps trained whose losses were not read back yet. */
  private readonly pending = new PendingLosses();
  private disposed = false;

  constructor(
    readonly config: TrainConfig,
    private readonly store: ImageStore,
    private readonly emit: Emit,
    readonly options: TrainingRunOptions = {},
  ) {
    // A restored run keeps the total of the images it was trained on, also when they are not loaded (an import).
    this.total = totalSteps(config, options.from?.imageCount ?? store.length);
    this.imageCount = store.length;
    const from = options.from;
    this.startStep = from?.step ?? 0;
    this.holdAtStart = options.startPaused ?? false;
    this.announce('Building the network…');
    this.trainer = new Trainer(config, store, {
      totalSteps: this.total,
      ...(from ? { from: { sampler: from.sampler, augmentRng: from.augmentRng } } : {}),
    });
    this.passes = new StepPasses(config, store, this.trainer.model, emit);
    this.history = new MetricsHistory(from?.history);
    if (options.initialWeights && !from) {
      try {
        loadEncoderWeights(this.trainer.model, config, options.initialWeights);
      } catch (error) {
        this.dispose();
        this.apply('abandon', 'The weights could not be loaded.');
        throw error;
      }
    }
    if (from) {
      try {
        restoreTrainingState(from, { model: this.trainer.model, optimizer: this.trainer.optimizer });
      } catch (error) {
        this.dispose();
        this.apply('abandon', 'The checkpoint could not be restored.');
        throw error;
      }
      this.step = from.step;
      this.lastLoss = from.lastLoss;
    }
    const { model } = this.trainer;
    emit({
      type: 'modelInfo',
      summary: {
        encoder: config.encoder,
        encoderParams: model.encoderParamCount,
        headParams: model.headParamCount,
        representationDim: model.encoder.representationDim,
      },
    });
  }

  get model(): SimclrModel {
    return this.trainer.model;
  }

  /** The optimizer and its slots (the PyTorch recipe download carries them). */
  get optimizer(): Optimizer {
    return this.trainer.optimizer;
  }

  get phase(): TrainPhase {
    return PHASE_OF[this.state];
  }

  /** How a step is split into passes (src/core/train/chunked-step.ts); planned when run() starts. */
  get stepPlan(): StepPlan | null {
    return this.passes.current;
  }

  get active(): boolean {
    return isActive(this.state);
  }

  pause(): void {
    this.apply('pause');
  }

  resume(): void {
    this.apply('resume');
    this.resumeWaiter?.();
  }

  stop(): void {
    this.apply('stop', 'Stopping after the current step…');
    this.resumeWaiter?.();
  }

  /** A restored run that will not train (no images, or restored after divergence): settles as 'stopped' with `message`. */
  settle(message: string): void {
    this.apply('settle', message);
  }

  /** A step failed with a fault the recovery acts on (worker/fault-recovery.ts): shown as paused with `message`. */
  fault(message: string): void {
    this.apply('fault', message);
  }

  /** The run ends in 'error' with `message` (nothing recovers it). */
  fail(message: string): void {
    this.apply('fail', message);
  }

  /** Whether Continue can train this run on to its planned total: stopped early, on the images it was built for. */
  canContinueOn(store: ImageStore): boolean {
    return this.canContinue && store === this.store && store.length === this.imageCount;
  }

  private get canContinue(): boolean {
    return this.state === 'stopped' && this.step < this.total;
  }

  /** Makes a stopped run ready for run() again: same weights, optimizer, sampler, generator and schedule. */
  continueAfterStop(): void {
    // Not announced: run() says 'running' when the loop begins again.
    this.state = nextRunState(this.state, 'continue');
  }

  /** Steps trained since the last checkpoint was written (or since the run was restored). */
  private get hasUnsavedSteps(): boolean {
    const saved = this.options.checkpointer?.savedStep ?? null;
    return this.step > Math.max(saved ?? 0, this.startStep);
  }

  /** Changes the augmentation; the step after the current one uses it. */
  setAugment(augment: AugmentConfig): void {
    this.trainer.augment = augment;
  }

  get currentAugment(): AugmentConfig {
    return this.trainer.augment;
  }

  /** The run's augmenter, built on first use (on webgpu the data set goes to the GPU once per run). */
  viewMaker(): BatchAugmenter {
    return this.trainer.viewMaker();
  }

  /** Frees the run's tensors; once (the recovery disposes a run before the session replaces it). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.pending.dispose();
    this.trainer.dispose();
  }

  /** Moves the state machine; a transition taken is announced when it changes the phase or says something. */
  private apply(input: RunInput, message?: string): void {
    const before = this.phase;
    const taken = takesInput(this.state, input);
    this.state = nextRunState(this.state, input);
    if (taken && (message !== undefined || this.phase !== before)) this.announce(message ?? '');
  }

  private announce(message: string): void {
    const { phase, step, total: totalSteps, canContinue } = this;
    this.emit({ type: 'trainState', phase, step, totalSteps, message, canContinue });
  }

  /** The full training state; call between steps (reads every weight back from the GPU). */
  capture(): Promise<TrainingState> {
    const { sampler, augmentRng } = this.trainer.resumeState();
    return captureTrainingState({
      step: this.step,
      // the augmentation as it is now: a change made during the run is resumed with it
      config: { ...this.config, augment: this.trainer.augment },
      model: this.trainer.model,
      optimizer: this.trainer.optimizer,
      sampler,
      augmentRng,
      datasetFingerprint: this.options.datasetFingerprint ?? '',
      imageCount: this.store.length,
      lastLoss: this.lastLoss,
      history: this.history.snapshot(),
    });
  }

  /** Pause and Stop save the steps no checkpoint has yet, with the losses the charts have not seen. */
  private async saveUnsavedSteps(): Promise<void> {
    const checkpointer = this.options.checkpointer;
    if (!checkpointer || !this.hasUnsavedSteps) return;
    if (this.pending.count > 0) await this.readMetrics(this.pending.take());
    await checkpointer.save(this, false);
  }

  /** Waits between steps until Resume or Stop; unsaved steps are saved first. */
  private async pauseHere(): Promise<void> {
    await this.saveUnsavedSteps();
    this.apply('pauseReached', 'Paused: press Resume to continue.');
    await new Promise<void>((resolve) => {
      this.resumeWaiter = resolve;
    });
    this.resumeWaiter = null;
    this.clock.restart();
  }

  /**
   * Trains to the planned total, or until Stop. A failure ends the run in 'error' with advice and is
   * thrown, unless `recoverable` says the caller recovers from it (worker/fault-recovery.ts): then the
   * state is left for the caller's fault() or fail().
   */
  async run(recoverable: (error: unknown) => Promise<boolean> = async () => false): Promise<void> {
    this.apply('begin');
    if (this.holdAtStart) {
      this.holdAtStart = false;
      this.apply('pause');
    }
    this.clock.restart();
    try {
      // Throws StepDoesNotFitError (a message naming the setting and a batch that fits) before any step.
      this.passes.plan(this.options.planNote);
      while (this.step < this.total && this.state !== 'stopping') {
        if (this.state === 'pausing') {
          await this.pauseHere();
          continue;
        }
        await this.trainOneStep();
        await yieldToEventLoop();
      }
      // A stopped run is saved where it stopped.
      await this.saveUnsavedSteps();
      const stopped = this.state === 'stopping';
      this.apply('finished', stopped ? `Stopped at step ${this.step}.` : `Finished ${this.step} steps.`);
    } catch (error) {
      if (!(await recoverable(error))) this.fail(adviceFor(error, this.config));
      throw error;
    } finally {
      this.pending.dispose();
    }
  }

  private async trainOneStep(): Promise<void> {
    const { config, total } = this;
    const checkpointer = this.options.checkpointer;
    const fault = injectedStepFault.make?.(config);
    if (fault) throw fault;
    const draw = this.trainer.draw(this.step);
    const saveAfter = checkpointer?.due(this.step + 1, total) ?? false;
    const wantMetrics = (this.step + 1) % config.metricsEvery === 0 || this.step + 1 === total || saveAfter;
    const { loss, projections, representations, learningRate } = this.passes.train(this.trainer, draw, wantMetrics);
    this.pending.push(loss, learningRate);
    this.step += 1;
    this.clock.stepTaken();
    const sync = wantMetrics || this.clock.wantsSync;
    if (wantMetrics && projections) {
      await this.readMetrics({ ...this.pending.take(), projections, representations });
    } else if (sync) {
      // GPU-to-CPU sync: only the first steps after a (re)start, so the step clock has figures soon.
      await loss.data();
    }
    // Saved before the step is announced, so a reload after the UI shows step n resumes from n.
    if (saveAfter && checkpointer) await checkpointer.save(this, true);
    if (sync) this.clock.synced();
    this.announce('');
    if (this.onStep) {
      const started = performance.now();
      await this.onStep(this.step);
      this.clock.exclude(performance.now() - started);
    }
  }

  /** Reads back the losses of the last `losses.length` steps (and the last batch's views) and emits the metrics. */
  private async readMetrics({
    losses,
    learningRates,
    projections = null,
    representations = null,
  }: MetricsToRead): Promise<void> {
    const firstStep = this.step - losses.length + 1;
    const read = await readBackMetrics(losses, firstStep, projections, representations);
    const progress = { step: this.step, total: this.total, batchSize: this.config.batchSize };
    const speed = runSpeed(progress, this.clock.secondsPerStep, this.evaluationTiming?.() ?? null);
    this.lastLoss = read.losses[read.losses.length - 1] ?? null;
    this.history.record(firstStep, read.losses, learningRates, {
      step: this.step,
      positive: read.positive,
      negative: read.negative,
    });
    this.emit(...metricsEvent(read, learningRates, speed));
  }
}
