import * as tf from '@tensorflow/tfjs';
import type { ImageStore } from '../core/data/image-store';
import { embedStoredImages } from '../core/eval/embed-chunk';
import { weightedKnnAccuracy } from '../core/eval/knn';
import { type DatasetLabels, labelsFromPaths, majorityShare } from '../core/eval/labels';
import { linearProbe } from '../core/eval/linear-probe';
import { pca2d } from '../core/eval/pca';
import { type EvalSplit, evalSplit } from '../core/eval/split';
import { l2Normalize } from '../core/loss/nt-xent';
import { DEFAULT_EVAL_CONFIG, type EvalConfig, type KnnResult } from '../protocol/evaluation';
import { toErrorInfo } from '../protocol/messages';
import type { Emit } from './ingest';
import type { TrainingRun } from './training-run';

/** Images embedded per training step while a pass runs: one chunk between steps keeps training moving. */
export const EMBED_CHUNK = 256;
/** Held-out fraction for the kNN monitor and the linear probe. */
const TEST_FRACTION = 0.2;
/** Seed offset so the evaluation split differs from the training sampler's stream. */
const SPLIT_SEED_OFFSET = 0xe7a1;
/** Why there is no label evaluation until the person says the folder names are labels. */
export const NOT_LABELS_REASON = 'the folder names are used as labels only once you say so in step 1 (Data).';

interface Pass {
  chunks: tf.Tensor2D[];
  next: number;
  /** Milliseconds spent on this pass so far (its chunks between steps, and its read-back). */
  ms: number;
}

/**
 * The embedding map and the evaluations of one run: embeds a seeded sample of the data set with the
 * encoder in inference mode (before training, every `embedEvery` steps a chunk per step, and after the
 * run), projects it by PCA, tracks weighted kNN on a held-out split when the person said the folder names
 * are labels, and answers linear-probe requests from the last pass. Search by image runs on the page, over the
 * pass's vectors. Labels never reach the training loop.
 */
export class Evaluation {
  private config: EvalConfig = { ...DEFAULT_EVAL_CONFIG };
  private run: TrainingRun | null = null;
  private store: ImageStore | null = null;
  private split: EvalSplit | null = null;
  private labels: DatasetLabels | { reason: string } = { reason: '' };
  /** The person's answer to "are the folder names labels?" (false until they say yes). */
  private useFolderLabels = false;
  private pass: Pass | null = null;
  /** l2-normalized h of the last finished pass, [sample, d], and the step it was taken at. */
  private bank: tf.Tensor2D | null = null;
  private bankStep = -1;
  /** Seconds the last finished pass took, for the run's ETA (null before one finished). */
  private lastPassSeconds: number | null = null;
  /** Publications run one at a time: a re-send for a changed answer must not interleave with a pass's read-back. */
  private publishing: Promise<void> = Promise.resolve();

  constructor(private readonly emit: Emit) {}

  configure(config: EvalConfig): void {
    this.config = { ...config };
  }

  /**
   * Folder names become labels (or stop being labels). The last pass is sent again with or without them, so
   * the map, the kNN figures and the probe follow the answer at once, also after a run.
   */
  async setUseFolderLabels(use: boolean): Promise<void> {
    if (use === this.useFolderLabels) return;
    this.useFolderLabels = use;
    if (!this.store) return;
    this.labels = this.labelsOf(this.store);
    await this.inTurn(async () => {
      if (this.bank) await this.publish(this.bank, this.bankStep);
    });
  }

  private inTurn(job: () => Promise<void>): Promise<void> {
    const done = this.publishing.then(job);
    this.publishing = done.catch(() => undefined);
    return done;
  }

  /** The folder labels of `store` once the person said the names are labels, else why there are none. */
  labelsOf(store: ImageStore): DatasetLabels | { reason: string } {
    const labels = labelsFromPaths(store.paths);
    return 'reason' in labels || this.useFolderLabels ? labels : { reason: NOT_LABELS_REASON };
  }

  /** Starts following a new run: seeded sample and split from its config, labels from folder names. */
  attach(run: TrainingRun, store: ImageStore): void {
    this.reset();
    // A restored run without its images (an imported checkpoint) has nothing to embed.
    if (store.length < 2) return;
    this.run = run;
    this.store = store;
    this.split = evalSplit(store.length, this.config.maxImages, TEST_FRACTION, run.config.seed + SPLIT_SEED_OFFSET);
    this.labels = this.labelsOf(store);
    const split = this.split;
    run.evaluationTiming = () => ({
      schedule: { embedEvery: this.config.embedEvery, sampleImages: split.sample.length },
      passSeconds: this.lastPassSeconds,
    });
    run.onStep = async (step) => {
      try {
        await this.afterStep(step);
      } catch (error) {
        // The map must never stop training: report, drop this pass, try again at the next interval.
        this.discardPass();
        this.emit({ type: 'error', requestId: null, context: 'embedding the data set', error: toErrorInfo(error) });
      }
    };
  }

  /** Forgets everything (new images or a new run). */
  reset(): void {
    this.discardPass();
    this.bank?.dispose();
    this.bank = null;
    this.bankStep = -1;
    this.lastPassSeconds = null;
    this.run = null;
    this.store = null;
    this.split = null;
  }

  /** A whole pass at once: the untrained encoder before step 1, and the final one after the run. */
  async fullPass(): Promise<void> {
    const run = this.run;
    if (!run || run.step === this.bankStep) return;
    this.discardPass();
    const pass: Pass = { chunks: [], next: 0, ms: 0 };
    this.pass = pass;
    const started = performance.now();
    while (this.pass === pass && !this.embedChunk(pass)) await yieldToEventLoop();
    pass.ms = performance.now() - started;
    if (this.pass === pass) await this.finish(pass, run.step);
  }

  /** Called by the run between steps: continues a pass by one chunk, or starts one every embedEvery steps. */
  private async afterStep(step: number): Promise<void> {
    const run = this.run;
    if (!run) return;
    if (step >= run.total) {
      // The last step: the final encoder's pass, whole, so the map and kNN end where training ended.
      await this.fullPass();
      return;
    }
    const every = this.config.embedEvery;
    const startsPass = !this.pass && every > 0 && step % every === 0 && step < run.total;
    if (startsPass) this.pass = { chunks: [], next: 0, ms: 0 };
    const pass = this.pass;
    if (!pass) return;
    const started = performance.now();
    const done = this.embedChunk(pass);
    pass.ms += performance.now() - started;
    if (done) await this.finish(pass, step);
  }

  /** Embeds the next chunk of the sample (queued on the GPU, nothing read back); true when all are done. */
  private embedChunk(pass: Pass): boolean {
    const { run, store, split } = this;
    if (!run || !store || !split) return true;
    const end = Math.min(split.sample.length, pass.next + EMBED_CHUNK);
    const indices = split.sample.subarray(pass.next, end);
    pass.chunks.push(
      embedStoredImages(
        run.model.encoderModel,
        store.gather(indices),
        indices.length,
        store.size,
        run.config.imageSize,
      ),
    );
    pass.next = end;
    return end >= split.sample.length;
  }

  private discardPass(): void {
    if (this.pass) tf.dispose(this.pass.chunks);
    this.pass = null;
  }

  private async finish(pass: Pass, step: number): Promise<void> {
    this.pass = null;
    if (!this.split) {
      tf.dispose(pass.chunks);
      return;
    }
    const started = performance.now();
    const normalized = tf.tidy(() => l2Normalize(tf.concat(pass.chunks, 0) as tf.Tensor2D));
    tf.dispose(pass.chunks);
    await this.inTurn(() => this.publish(normalized, step));
    this.lastPassSeconds = (pass.ms + performance.now() - started) / 1000;
  }

  /** The sample's labels in sample order, or null without labels. */
  private sampleLabels(split: EvalSplit): Int32Array | null {
    const labels = this.labels;
    return 'labels' in labels ? Int32Array.from(split.sample, (i) => labels.labels[i] ?? 0) : null;
  }

  /** Sends the map (and kNN with labels) of one pass's l2-normalized h, which becomes the bank. */
  private async publish(normalized: tf.Tensor2D, step: number): Promise<void> {
    const { split, run } = this;
    if (!split) return;
    const pca = pca2d(normalized);
    const labels = this.sampleLabels(split);
    const knn = labels ? this.knnTensors(normalized, labels, split) : null;
    try {
      // GPU-to-CPU sync: once per embedding pass (the sample's vectors, its PCA and two kNN scalars).
      const [vectors, pcaValues, knnValues] = await Promise.all([
        normalized.data() as Promise<Float32Array>,
        pca.data() as Promise<Float32Array>,
        knn ? knn.data() : Promise.resolve(null),
      ]);
      if (this.run !== run) {
        // A new run started while this pass was read back: its results belong to no run now.
        if (this.bank !== normalized) normalized.dispose();
        return;
      }
      if (this.bank !== normalized) this.bank?.dispose();
      this.bank = normalized;
      this.bankStep = step;
      const knnResult: KnnResult | null =
        knnValues && labels
          ? {
              k20: knnValues[0] ?? Number.NaN,
              k200: knnValues[1] ?? Number.NaN,
              testCount: split.test.length,
              bankCount: split.train.length,
              majority: majorityShare(Array.from(split.test, (row) => labels[row] ?? 0)),
            }
          : null;
      const indices = split.sample.slice();
      this.emit(
        {
          type: 'embeddings',
          step,
          indices,
          pca: pcaValues,
          vectors,
          dim: normalized.shape[1],
          labels,
          labelNames: 'names' in this.labels ? this.labels.names : [],
          labelReason: 'reason' in this.labels ? this.labels.reason : '',
          knn: knnResult,
        },
        [indices.buffer, pcaValues.buffer, vectors.buffer, ...(labels ? [labels.buffer] : [])],
      );
    } catch (error) {
      if (this.bank !== normalized) normalized.dispose();
      throw error;
    } finally {
      pca.dispose();
      knn?.dispose();
    }
  }

  /** [k20, k200] accuracy of the held-out split against the rest of the sample. */
  private knnTensors(normalized: tf.Tensor2D, labels: Int32Array, split: EvalSplit): tf.Tensor1D {
    const classes = 'names' in this.labels ? this.labels.names.length : 0;
    return tf.tidy(() => {
      const all = tf.tensor1d(labels, 'int32');
      const bank = tf.gather(normalized, split.train) as tf.Tensor2D;
      const queries = tf.gather(normalized, split.test) as tf.Tensor2D;
      const bankLabels = tf.gather(all, split.train) as tf.Tensor1D;
      const queryLabels = tf.gather(all, split.test) as tf.Tensor1D;
      return tf.stack(
        [20, 200].map((k) => weightedKnnAccuracy(bank, bankLabels, queries, queryLabels, classes, k)),
      ) as tf.Tensor1D;
    });
  }

  /** Logistic regression on the frozen features of the last pass, trained on the split's train part. */
  async probe(requestId: number): Promise<void> {
    const { bank, split } = this;
    if ('reason' in this.labels)
      throw new Error(this.labels.reason || 'There are no labels: load a folder with one subfolder per class.');
    if (!bank || !split) throw new Error('The embedding map has not been computed yet: start a run first.');
    const names = this.labels.names;
    const all = this.sampleLabels(split) ?? new Int32Array(split.sample.length);
    const step = this.bankStep;
    const [trainX, testX, trainY, testY] = tf.tidy(() => {
      const y = tf.tensor1d(all, 'int32');
      return [
        tf.gather(bank, split.train) as tf.Tensor2D,
        tf.gather(bank, split.test) as tf.Tensor2D,
        tf.gather(y, split.train) as tf.Tensor1D,
        tf.gather(y, split.test) as tf.Tensor1D,
      ] as const;
    });
    try {
      const result = await linearProbe(trainX, trainY, testX, testY, names.length, undefined, yieldToEventLoop);
      this.emit({
        type: 'probeResult',
        requestId,
        step,
        ...result,
        trainCount: split.train.length,
        testCount: split.test.length,
        classes: names.length,
        majority: majorityShare(Array.from(split.test, (row) => all[row] ?? 0)),
      });
    } finally {
      tf.dispose([trainX, testX, trainY, testY]);
    }
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
