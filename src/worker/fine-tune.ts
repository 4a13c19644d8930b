import * as tf from '@tensorflow/tfjs';
import type { ImageStore } from '../core/data/image-store';
import { majorityShare } from '../core/eval/labels';
import { type FittedProbe, fitLinearProbe } from '../core/eval/linear-probe';
import { buildClassifier, type Classifier } from '../core/finetune/classifier';
import { accuracyOf, classifierInput, confusionMatrix, fineTuneStep } from '../core/finetune/fine-tune-step';
import { fewLabelSplit, type LabelSplit } from '../core/finetune/label-split';
import { createOptimizer } from '../core/optim/optimizers';
import { warmupCosineLearningRate, warmupStepCount } from '../core/optim/schedule';
import { Rng } from '../core/random/rng';
import type { TrainConfig } from '../protocol/config';
import {
  FINE_TUNE_TEST_FRACTION,
  type FineTuneCommand,
  type FineTuneConfig,
  type FineTuneStatus,
  idleFineTuneStatus,
  validateFineTuneConfig,
} from '../protocol/fine-tune';
import { decodeDroppedImage } from './dropped-image';
import type { Evaluation } from './evaluation';
import { adviceFor, failureKind } from './faults';
import { classifierExportedEvent } from './fine-tune-export';
import type { Emit } from './ingest';
import type { TrainingRun } from './training-run';

/** Images per forward pass when evaluating or embedding: bounded memory whatever the data set's size. */
const EVAL_CHUNK = 256;
/** Evaluations per fine-tuning run (plus the last step's). */
const EVALUATIONS = 10;

/** What fine-tuning needs from the session: the trained run, the images and the folder labels. */
export interface FineTuneSource {
  run: TrainingRun | null;
  store: ImageStore | null;
  /** Knows whether the person said the folder names are labels. */
  evaluation: Pick<Evaluation, 'labelsOf'>;
}

/** The classifier being (or last) fine-tuned, with what it was made from, for trying and exporting it. */
interface Job {
  classifier: Classifier;
  config: FineTuneConfig;
  trainConfig: TrainConfig;
  encoderSteps: number;
  store: ImageStore;
  labels: Int32Array;
  split: LabelSplit;
}

export const FINE_TUNE_CONTEXT: Record<FineTuneCommand['type'], string> = {
  fineTuneStart: 'fine-tuning',
  fineTunePause: 'pausing fine-tuning',
  fineTuneResume: 'resuming fine-tuning',
  fineTuneStop: 'stopping fine-tuning',
  classifyImage: 'classifying an image',
  exportClassifier: 'exporting the classifier',
};

/**
 * Fine-tunes a copy of the trained encoder with a linear classifier on a fraction of the labelled images
 * (SimCLR v2 section 3), with the frozen-encoder linear probe on the same images beside it. The SimCLR run
 * is only read: pausing, stopping or a failure here never touches it, and the classifier of the last
 * finished step stays available to try and to download.
 */
export class FineTuner {
  private job: Job | null = null;
  private status: FineTuneStatus = idleFineTuneStatus();
  private control: 'run' | 'pause' | 'stop' = 'run';

  /** `appVersion` goes into the exported metadata.json (the worker passes the build's version). */
  constructor(
    private readonly emit: Emit,
    private readonly appVersion = 'unknown',
  ) {}

  get active(): boolean {
    return ['preparing', 'running', 'paused'].includes(this.status.phase);
  }

  async handle(command: FineTuneCommand, source: () => FineTuneSource): Promise<void> {
    switch (command.type) {
      case 'fineTuneStart':
        return this.start(command.config, source());
      case 'fineTunePause':
        if (this.status.phase === 'running') {
          this.control = 'pause';
          this.update({ phase: 'paused', message: '' });
        }
        return;
      case 'fineTuneResume':
        if (this.status.phase === 'paused') {
          this.control = 'run';
          this.update({ phase: 'running', message: '' });
        }
        return;
      case 'fineTuneStop':
        if (this.active) this.control = 'stop';
        return;
      case 'classifyImage':
        return this.classify(command.requestId, command.file);
      case 'exportClassifier': {
        const job = this.requireJob('download the classifier');
        const { event, transfer } = await classifierExportedEvent(command.requestId, job, this.status, this.appVersion);
        this.emit(event, transfer);
        return;
      }
    }
  }

  private update(patch: Partial<FineTuneStatus>): void {
    this.status = { ...this.status, ...patch };
    this.emit({ type: 'fineTuneStatus', ...this.status, confusion: [...this.status.confusion] });
  }

  private requireJob(action: string): Job {
    if (!this.job) throw new Error(`Fine-tune a classifier first (in "Fine-tune with few labels"), then ${action}.`);
    return this.job;
  }

  private async start(config: FineTuneConfig, source: FineTuneSource): Promise<void> {
    if (this.active) throw new Error('Fine-tuning is already running: stop it before you start again.');
    const { run, store } = source;
    if (run?.active)
      throw new Error('Stop the training run (or let it finish) before you fine-tune: both would share the GPU.');
    if (!run) throw new Error('Train the encoder for at least one step before you fine-tune it.');
    if (!store || store.length < 2)
      throw new Error('Load the labelled images (one subfolder per class) before you fine-tune.');
    const labels = source.evaluation.labelsOf(store);
    if ('reason' in labels) throw new Error(`Fine-tuning needs labels: ${labels.reason}`);
    const problems = validateFineTuneConfig(config);
    if (problems.length > 0) throw new Error(problems.join(' '));
    const classes = labels.names.length;
    const split = fewLabelSplit(labels.labels, classes, config.labelFraction, FINE_TUNE_TEST_FRACTION, config.seed);
    this.job?.classifier.dispose();
    this.job = null;
    this.control = 'run';
    this.status = {
      ...idleFineTuneStatus(),
      phase: 'preparing',
      totalSteps: config.steps,
      labelNames: labels.names,
      trainCount: split.train.length,
      testCount: split.test.length,
      majority: majorityShare(Array.from(split.test, (i) => labels.labels[i] ?? 0)),
    };
    this.update({});
    try {
      const classifier = buildClassifier(
        run.config,
        { classes, fromHeadLayer: config.fromHeadLayer },
        config.init === 'encoder' ? run.model : null,
      );
      this.job = {
        classifier,
        config,
        trainConfig: run.config,
        encoderSteps: config.init === 'encoder' ? run.step : 0,
        store,
        labels: labels.labels,
        split,
      };
      await this.probes(run, this.job);
      await this.train(this.job);
    } catch (error) {
      const kind = failureKind(error);
      const advice = adviceFor(error, { batchSize: config.batchSize, imageSize: run.config.imageSize });
      this.update({
        phase: 'error',
        message:
          kind === 'out-of-memory'
            ? `${advice} The trained encoder is untouched${this.status.step > 0 ? `, and the classifier of step ${this.status.step} can still be tried and downloaded` : ''}.`
            : `Fine-tuning failed: ${advice}`,
        hasClassifier: this.job !== null && this.status.step > 0,
      });
    }
  }

  /**
   * The linear probe on the frozen source encoder's h, shown beside fine-tuning; with headInit 'probe' the
   * classifier's linear layer starts from a probe fitted the same way on its own starting features (the same
   * probe when those are the source's h).
   */
  private async probes(run: TrainingRun, job: Job): Promise<void> {
    const { classifier, config } = job;
    const frozen = await this.fitProbe(job, (x) => run.model.encoderModel.predict(x) as tf.Tensor2D);
    this.update({ probeAccuracy: frozen.testAccuracy });
    let start: FittedProbe | null = frozen;
    if (config.headInit === 'zero' || config.init !== 'encoder' || config.fromHeadLayer) {
      tf.dispose([frozen.weights, frozen.bias]);
      start = config.headInit === 'probe' ? await this.fitProbe(job, (x) => classifier.features(x, false)) : null;
    }
    if (!start) return;
    classifier.setLinear(start.weights, start.bias);
    tf.dispose([start.weights, start.bias]);
    const confusion = await this.evaluate(job);
    this.update({ confusion, accuracy: accuracyOf(confusion, this.status.labelNames.length), evaluatedStep: 0 });
  }

  /** Logistic regression (core/eval/linear-probe.ts) on `featuresOf` the labelled images, judged on the held-out ones. */
  private async fitProbe(job: Job, featuresOf: (x: tf.Tensor4D) => tf.Tensor2D): Promise<FittedProbe> {
    const { store, split, labels, trainConfig } = job;
    const embed = (indices: Int32Array) =>
      tf.tidy(
        () =>
          tf.concat(
            chunks(indices).map((part) =>
              featuresOf(classifierInput(store.gather(part), part.length, store.size, trainConfig.imageSize)),
            ),
            0,
          ) as tf.Tensor2D,
      );
    const trainX = embed(split.train);
    const testX = embed(split.test);
    const trainY = tf.tensor1d(
      Int32Array.from(split.train, (i) => labels[i] ?? 0),
      'int32',
    );
    const testY = tf.tensor1d(
      Int32Array.from(split.test, (i) => labels[i] ?? 0),
      'int32',
    );
    try {
      const classes = this.status.labelNames.length;
      return await fitLinearProbe(trainX, trainY, testX, testY, classes, undefined, yieldToEventLoop);
    } finally {
      tf.dispose([trainX, testX, trainY, testY]);
    }
  }

  private async train(job: Job): Promise<void> {
    const { classifier, config, trainConfig, store, split, labels } = job;
    const classes = this.status.labelNames.length;
    const optimizer = createOptimizer('adam', classifier.params, { weightDecay: config.weightDecay });
    const rng = new Rng(config.seed * 31 + 17);
    const warmup = warmupStepCount(config.steps, config.warmupFraction);
    const evaluateEvery = Math.max(1, Math.round(config.steps / EVALUATIONS));
    // A trained encoder keeps its BatchNorm statistics: batch statistics of unaugmented images move them away
    // from what it learned with, which cost more than fine-tuning gained (docs/fine-tune.md). A random network
    // has none yet and learns them.
    const batchStatistics = config.init === 'random';
    let order = rng.permutation(split.train.length);
    let cursor = 0;
    let pendingLoss: tf.Scalar | null = null;
    this.update({ phase: 'running' });
    try {
      for (let step = this.status.step; step < config.steps; step++) {
        while (this.control === 'pause') await sleep(50);
        if (this.control === 'stop') break;
        const batch = new Int32Array(Math.min(config.batchSize, split.train.length));
        for (let b = 0; b < batch.length; b++) {
          if (cursor === order.length) {
            order = rng.permutation(split.train.length);
            cursor = 0;
          }
          batch[b] = split.train[order[cursor++]!]!;
        }
        const flips = Uint8Array.from(batch, () => (rng.bernoulli(0.5) ? 1 : 0));
        const learningRate = warmupCosineLearningRate(step, config.steps, config.learningRate, warmup);
        const x = classifierInput(store.gather(batch), batch.length, store.size, trainConfig.imageSize, flips);
        const y = tf.tensor1d(
          Int32Array.from(batch, (i) => labels[i] ?? 0),
          'int32',
        );
        const loss = fineTuneStep(classifier, optimizer, x, y, classes, learningRate, batchStatistics);
        tf.dispose([x, y]);
        pendingLoss?.dispose();
        pendingLoss = loss;
        const done = step + 1;
        if (done % evaluateEvery === 0 || done === config.steps) {
          // GPU-to-CPU sync: the loss and the held-out predictions, every `evaluateEvery` steps.
          const [lossValue, confusion] = await Promise.all([loss.data(), this.evaluate(job)]);
          this.status = { ...this.status, step: done, learningRate, hasClassifier: true };
          this.update({
            loss: lossValue[0] ?? Number.NaN,
            confusion,
            accuracy: accuracyOf(confusion, classes),
            evaluatedStep: done,
          });
        } else {
          this.status = { ...this.status, step: done, learningRate, hasClassifier: true };
          await yieldToEventLoop();
        }
      }
    } finally {
      pendingLoss?.dispose();
      optimizer.dispose();
    }
    const stopped = this.status.step < config.steps;
    if (stopped && this.status.evaluatedStep !== this.status.step) {
      const confusion = await this.evaluate(job);
      this.status = {
        ...this.status,
        confusion,
        accuracy: accuracyOf(confusion, classes),
        evaluatedStep: this.status.step,
      };
    }
    this.update({
      phase: stopped ? 'stopped' : 'done',
      message: stopped ? `Stopped at step ${this.status.step} of ${config.steps}.` : '',
    });
  }

  /** The held-out images' confusion matrix with the classifier in inference mode. */
  private async evaluate(job: Job): Promise<number[]> {
    const { classifier, store, split, labels, trainConfig } = job;
    const predictions = new Int32Array(split.test.length);
    let offset = 0;
    for (const part of chunks(split.test)) {
      const predicted = tf.tidy(() => {
        const x = classifierInput(store.gather(part), part.length, store.size, trainConfig.imageSize);
        return tf.argMax(classifier.model.predict(x) as tf.Tensor2D, 1);
      });
      // GPU-to-CPU sync: one chunk's predicted classes.
      predictions.set(await predicted.data(), offset);
      predicted.dispose();
      offset += part.length;
    }
    const truth = Int32Array.from(split.test, (i) => labels[i] ?? 0);
    return confusionMatrix(truth, predictions, this.status.labelNames.length);
  }

  private async classify(requestId: number, file: File): Promise<void> {
    const job = this.requireJob('try it on an image');
    const size = job.trainConfig.imageSize;
    const rgb = await decodeDroppedImage(file, size);
    const output = tf.tidy(
      () => job.classifier.model.predict(classifierInput(Int32Array.from(rgb), 1, size, size)) as tf.Tensor2D,
    );
    // GPU-to-CPU sync: one image's probabilities, once per request.
    const probabilities = (await output.data()) as Float32Array;
    output.dispose();
    this.emit({ type: 'classified', requestId, name: file.name, labelNames: this.status.labelNames, probabilities }, [
      probabilities.buffer,
    ]);
  }
}

function chunks(indices: Int32Array): Int32Array[] {
  const parts: Int32Array[] = [];
  for (let start = 0; start < indices.length; start += EVAL_CHUNK)
    parts.push(indices.subarray(start, start + EVAL_CHUNK));
  return parts;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
