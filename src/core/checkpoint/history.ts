/**
 * What the charts need to be redrawn after a resume: the loss and learning rate of every step, and the
 * positive/negative similarity of every metrics read-back (one point each). Kept by the training run
 * and saved with each checkpoint.
 */
export interface SimilarityPoint {
  step: number;
  positive: number;
  negative: number;
}

export interface MetricsHistoryData {
  /** losses[i] and learningRates[i] belong to step i + 1. */
  losses: Float32Array;
  learningRates: Float32Array;
  similarity: SimilarityPoint[];
}

export class MetricsHistory {
  private losses: Float32Array;
  private rates: Float32Array;
  private count: number;
  readonly similarity: SimilarityPoint[];

  constructor(from?: MetricsHistoryData) {
    this.count = from?.losses.length ?? 0;
    this.losses = new Float32Array(Math.max(64, this.count));
    this.rates = new Float32Array(Math.max(64, this.count));
    if (from) {
      this.losses.set(from.losses);
      this.rates.set(from.learningRates);
    }
    this.similarity = from ? from.similarity.map((p) => ({ ...p })) : [];
  }

  get length(): number {
    return this.count;
  }

  /** Records the losses of steps firstStep .. firstStep + losses.length - 1 (1-based, contiguous). */
  record(firstStep: number, losses: ArrayLike<number>, rates: ArrayLike<number>, similarity: SimilarityPoint): void {
    if (firstStep !== this.count + 1) {
      throw new Error(`metrics history expected step ${this.count + 1}, got ${firstStep}`);
    }
    const needed = this.count + losses.length;
    if (needed > this.losses.length) {
      const capacity = Math.max(needed, this.losses.length * 2);
      this.losses = grow(this.losses, capacity);
      this.rates = grow(this.rates, capacity);
    }
    for (let i = 0; i < losses.length; i++) {
      this.losses[this.count + i] = losses[i]!;
      this.rates[this.count + i] = rates[i] ?? Number.NaN;
    }
    this.count = needed;
    this.similarity.push({ ...similarity });
  }

  /** A copy of the history (safe to transfer or serialize). */
  snapshot(): MetricsHistoryData {
    return {
      losses: this.losses.slice(0, this.count),
      learningRates: this.rates.slice(0, this.count),
      similarity: this.similarity.map((p) => ({ ...p })),
    };
  }
}

function grow(array: Float32Array, capacity: number): Float32Array {
  const out = new Float32Array(capacity);
  out.set(array);
  return out;
}

/**
 * Splits a history into the metrics intervals it was recorded in: each similarity point closes the
 * interval of steps since the previous one. Replaying these reproduces the original charts.
 */
export function historyIntervals(
  history: MetricsHistoryData,
): { firstStep: number; losses: Float32Array; learningRates: Float32Array; point: SimilarityPoint }[] {
  const out = [];
  let start = 0;
  for (const point of history.similarity) {
    const end = Math.min(point.step, history.losses.length);
    if (end <= start) continue;
    out.push({
      firstStep: start + 1,
      losses: history.losses.slice(start, end),
      learningRates: history.learningRates.slice(start, end),
      point,
    });
    start = end;
  }
  return out;
}
