/**
 * Training metrics outside the React store: per-step loss and learning rate in ring buffers, the
 * positive/negative similarity series (one point per metrics event) and the last similarity matrix.
 */
import type { MetricsPayload } from '../protocol/messages';
import { ChangeNotifier } from './change-source';

export const METRICS_CAPACITY = 10_000;

/** A fixed-capacity series of (step, value) points; the oldest are overwritten. */
export class RingSeries {
  readonly capacity: number;
  readonly #steps: Float64Array;
  readonly #values: Float64Array;
  #start = 0;
  #length = 0;

  constructor(capacity = METRICS_CAPACITY) {
    this.capacity = capacity;
    this.#steps = new Float64Array(capacity);
    this.#values = new Float64Array(capacity);
  }

  get length(): number {
    return this.#length;
  }

  push(step: number, value: number): void {
    const at = (this.#start + this.#length) % this.capacity;
    this.#steps[at] = step;
    this.#values[at] = value;
    if (this.#length < this.capacity) this.#length++;
    else this.#start = (this.#start + 1) % this.capacity;
  }

  /** The latest point, or null when empty. */
  last(): { step: number; value: number } | null {
    if (this.#length === 0) return null;
    const at = (this.#start + this.#length - 1) % this.capacity;
    return { step: this.#steps[at] as number, value: this.#values[at] as number };
  }

  /** Steps and values oldest first, as fresh arrays (for a chart). */
  toArrays(): { steps: Float64Array; values: Float64Array } {
    const steps = new Float64Array(this.#length);
    const values = new Float64Array(this.#length);
    for (let i = 0; i < this.#length; i++) {
      const at = (this.#start + i) % this.capacity;
      steps[i] = this.#steps[at] as number;
      values[i] = this.#values[at] as number;
    }
    return { steps, values };
  }

  clear(): void {
    this.#start = 0;
    this.#length = 0;
  }
}

export class MetricsBuffer extends ChangeNotifier {
  readonly loss: RingSeries;
  readonly learningRate: RingSeries;
  readonly positive: RingSeries;
  readonly negative: RingSeries;
  #similarity: Float32Array | null = null;
  #similaritySize = 0;
  #similarityStep = 0;

  constructor(capacity = METRICS_CAPACITY) {
    super();
    this.loss = new RingSeries(capacity);
    this.learningRate = new RingSeries(capacity);
    this.positive = new RingSeries(capacity);
    this.negative = new RingSeries(capacity);
  }

  /** The last batch's cosine similarity matrix (row-major, size x size), or null before any. */
  get similarity(): { matrix: Float32Array; size: number; step: number } | null {
    return this.#similarity
      ? { matrix: this.#similarity, size: this.#similaritySize, step: this.#similarityStep }
      : null;
  }

  push(event: MetricsPayload): void {
    const { firstStep, losses, learningRates } = event;
    const previous = this.loss.last();
    // Steps going backwards mean a new run: its curve must not join the old one.
    if (previous && firstStep <= previous.step) this.#clearAll();
    for (let i = 0; i < losses.length; i++) {
      this.loss.push(firstStep + i, losses[i] as number);
      const lr = learningRates[i];
      if (lr !== undefined) this.learningRate.push(firstStep + i, lr);
    }
    const step = firstStep + Math.max(0, losses.length - 1);
    this.positive.push(step, event.positiveSimilarity);
    this.negative.push(step, event.negativeSimilarity);
    if (event.similaritySize > 0 && event.similarity.length >= event.similaritySize * event.similaritySize) {
      this.#similarity = event.similarity;
      this.#similaritySize = event.similaritySize;
      this.#similarityStep = step;
    }
    this.changed();
  }

  reset(): void {
    this.#clearAll();
    this.changed();
  }

  #clearAll(): void {
    this.loss.clear();
    this.learningRate.clear();
    this.positive.clear();
    this.negative.clear();
    this.#similarity = null;
    this.#similaritySize = 0;
    this.#similarityStep = 0;
  }
}

/** The app's metrics. */
export const metrics = new MetricsBuffer();
