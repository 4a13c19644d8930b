/**
 * Protocol types of the evaluation views (issue 5): label-free batch health, the embedding map,
 * nearest neighbours, the kNN monitor and the linear probe. Labels (subfolder names) are used for
 * evaluation only, never for training, and only once the person has said the folder names are labels.
 */

/**
 * The folders a loaded data set's images sit in, sent after every load so the UI can ask whether the folder
 * names are labels. `names` is empty when they cannot be (an image outside any subfolder, or one folder only).
 */
export interface DatasetFolders {
  /** Stable key of the data set (SHA-256 of its sorted image paths): the remembered answer belongs to it. */
  fingerprint: string;
  /** Parent folder names, sorted, and the number of images in each. */
  names: string[];
  counts: number[];
}

/** How often the worker embeds the data set; not part of TrainConfig because it never changes the run. */
export interface EvalConfig {
  /** Embed the data set (map, kNN) every this many steps; 0 turns it off (the untrained and final passes still run). */
  embedEvery: number;
  /** Size of the seeded sample that is embedded (the whole set when smaller). */
  maxImages: number;
}

export const DEFAULT_EVAL_CONFIG: EvalConfig = { embedEvery: 100, maxImages: 10_000 };

/** Problems with an eval config, as messages a person can act on. */
export function validateEvalConfig(config: EvalConfig): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(config.embedEvery) || config.embedEvery < 0)
    problems.push('Map every (steps) must be a whole number, 0 or more (0: only before and after the run).');
  if (!Number.isInteger(config.maxImages) || config.maxImages < 2 || config.maxImages > 10_000)
    problems.push('Map sample size must be a whole number from 2 to 10000.');
  return problems;
}

/** Label-free statistics of the last metrics step's batch (Wang & Isola 2020 for alignment/uniformity). */
export interface HealthPayload {
  /** Counts of positive / negative pair cosine similarities (on z) in equal bins over [-1, 1]. */
  positiveHistogram: Float32Array;
  negativeHistogram: Float32Array;
  /** Is the positive the most similar (top-1) / among the 5 most similar (top-5) of the 2N-1 other views. */
  top1: number;
  top5: number;
  /** E||u-v||^2 over positive pairs (lower is better), log E exp(-2||u-v||^2) over all pairs (lower is more uniform). */
  alignment: number;
  uniformity: number;
  /** Per-dimension std of the l2-normalized representation h, averaged; about 1/sqrt(d) when spread out. */
  representationStd: number;
  representationDim: number;
  /** collapseVerdict without a baseline: the spread is below a tenth of 1/sqrt(d). */
  collapsed: boolean;
}

/**
 * Representation collapse (SimSiam, Chen & He 2021, fig. 2: the std of l2-normalized outputs falls from about
 * 1/sqrt(d) towards 0). Untrained ReLU encoders already sit well below 1/sqrt(d) because their outputs share
 * the positive orthant; measured on 40 Fashion-MNIST images at 28 px: ResNet-18 (d = 512) 0.29/sqrt(d), the
 * small ResNet at width 1/16 (d = 32) 0.58/sqrt(d); Adam at learning rate 2 collapses the latter to
 * 0.15-0.2/sqrt(d) within two steps (every projection alike, the loss stuck at log(2N - 1)). So collapse is:
 * below a tenth of 1/sqrt(d), or below a quarter of it after falling under half of the run's first value.
 *
 * @param baseline the run's first measured std (NaN when unknown)
 */
export function collapseVerdict(std: number, dim: number, baseline: number): boolean {
  const uniform = 1 / Math.sqrt(dim);
  if (std < 0.1 * uniform) return true;
  return Number.isFinite(baseline) && std < 0.25 * uniform && std < 0.5 * baseline;
}

export interface KnnResult {
  /** Weighted kNN accuracy (k = 20 and k = 200, t = 0.1, cosine) on the held-out split, in [0, 1]. */
  k20: number;
  k200: number;
  testCount: number;
  bankCount: number;
  /** Share of the largest class among the held-out images: the accuracy of always guessing it. */
  majority: number;
}

/** One embedding pass over the (sampled) data set. */
export interface EmbeddingsPayload {
  /** Training step whose weights the pass finished with (0: the untrained encoder). */
  step: number;
  /** Data set indices of the embedded images. */
  indices: Int32Array;
  /** PCA coordinates, [count, 2] row-major. */
  pca: Float32Array;
  /** l2-normalized representations h, [count, dim] row-major (for UMAP on the UI side). */
  vectors: Float32Array;
  dim: number;
  /** Label of each embedded image (index into labelNames), or null without labels. */
  labels: Int32Array | null;
  labelNames: string[];
  /** Why there are no labels (empty when there are). */
  labelReason: string;
  knn: KnnResult | null;
}

export interface ProbePayload {
  requestId: number;
  step: number;
  trainAccuracy: number;
  testAccuracy: number;
  trainCount: number;
  testCount: number;
  classes: number;
  /** Share of the largest class among the held-out images (the baseline to beat). */
  majority: number;
}
