import * as tf from '@tensorflow/tfjs';
import { cosineSimilarityMatrix, l2Normalize, positivePairMask } from '../loss/nt-xent';

/** Bins of the similarity histograms, over cosine similarity [-1, 1]. */
export const HISTOGRAM_BINS = 40;

/**
 * Label-free health statistics of one batch, as tensors still on the GPU (read them back together).
 *
 * Views are stacked as in NT-Xent: rows i and i + N of z and h are the two views of image i.
 */
export interface HealthTensors {
  /** [bins] counts of positive-pair similarities (each ordered pair i -> i+N and i+N -> i counted once). */
  positiveHistogram: tf.Tensor1D;
  /** [bins] counts of negative-pair similarities (ordered pairs, self excluded). */
  negativeHistogram: tf.Tensor1D;
  /**
   * [4]: contrastive top-1 and top-5 accuracy (is the positive among the k most similar of the 2N - 1
   * other views), alignment E||u - v||^2 over positives and uniformity log E exp(-2 ||u - v||^2) over all
   * distinct pairs (Wang & Isola 2020, alpha = 2, t = 2), all on l2-normalized z.
   */
  scalars: tf.Tensor1D;
  /** Scalar: per-dimension standard deviation of the l2-normalized representation h, averaged over dimensions. */
  representationStd: tf.Scalar;
}

/** Counts of `values` [M] in `bins` equal bins over [-1, 1], weighted by `weights` [M] (0/1 masks). */
export function weightedHistogram(values: tf.Tensor1D, weights: tf.Tensor1D, bins: number): tf.Tensor1D {
  return tf.tidy(() => {
    const scaled = tf.floor(tf.mul(tf.add(values, 1), bins / 2));
    const index = tf.cast(tf.clipByValue(scaled, 0, bins - 1), 'int32') as tf.Tensor1D;
    const oneHot = tf.oneHot(index, bins);
    return tf.sum(tf.mul(oneHot, tf.expandDims(weights, 1)), 0) as tf.Tensor1D;
  });
}

/** Top-k contrastive accuracy from a [2N, 2N] similarity matrix: the positive ranks within the k best others. */
export function contrastiveTopK(similarity: tf.Tensor2D, k: number): tf.Scalar {
  return tf.tidy(() => {
    const m = similarity.shape[0];
    const n = m / 2;
    const eye = tf.eye(m);
    const masked = tf.sub(tf.mul(similarity, tf.sub(1, eye)), tf.mul(eye, 1e9));
    const positive = tf.sum(tf.mul(masked, positivePairMask(n)), 1, true);
    // Rank of the positive = number of other views strictly more similar to the anchor.
    const better = tf.sum(tf.cast(tf.greater(masked, positive), 'float32'), 1);
    return tf.mean(tf.cast(tf.less(better, k), 'float32')) as tf.Scalar;
  });
}

/**
 * Alignment and uniformity on l2-normalized rows u [2N, d]: align = mean over positive pairs of ||u_i - u_j||^2,
 * uniform = log of the mean over pairs i < j of exp(-2 ||u_i - u_j||^2). Returns [align, uniform].
 */
export function alignmentUniformity(normalized: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const m = normalized.shape[0];
    // ||u - v||^2 = 2 - 2 u.v for unit vectors.
    const squared = tf.relu(tf.sub(2, tf.mul(2, tf.matMul(normalized, normalized, false, true))));
    const [first, second] = tf.split(normalized, 2, 0) as [tf.Tensor2D, tf.Tensor2D];
    const align = tf.mean(tf.sum(tf.square(tf.sub(first, second)), 1));
    const upper = tf.sub(tf.linalg.bandPart(tf.ones([m, m]), 0, -1), tf.eye(m));
    const pairs = (m * (m - 1)) / 2;
    const uniform = tf.log(tf.div(tf.sum(tf.mul(tf.exp(tf.mul(squared, -2)), upper)), pairs));
    return tf.stack([align, uniform]) as tf.Tensor1D;
  });
}

/** Mean over dimensions of the standard deviation (over rows) of l2-normalized h [M, d]. */
export function normalizedStd(h: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const { variance } = tf.moments(l2Normalize(h), 0);
    return tf.mean(tf.sqrt(variance)) as tf.Scalar;
  });
}

/** Every health statistic of one batch: projections z [2N, p] and representations h [2N, d]. */
export function batchHealth(z: tf.Tensor2D, h: tf.Tensor2D, bins = HISTOGRAM_BINS): HealthTensors {
  return tf.tidy(() => {
    const m = z.shape[0];
    const n = m / 2;
    const similarity = cosineSimilarityMatrix(z);
    const flat = tf.reshape(similarity, [m * m]) as tf.Tensor1D;
    const positives = positivePairMask(n);
    const negatives = tf.sub(tf.sub(1, tf.eye(m)), positives);
    const positiveHistogram = weightedHistogram(flat, tf.reshape(positives, [m * m]) as tf.Tensor1D, bins);
    const negativeHistogram = weightedHistogram(flat, tf.reshape(negatives, [m * m]) as tf.Tensor1D, bins);
    const scalars = tf.concat([
      tf.stack([contrastiveTopK(similarity, 1), contrastiveTopK(similarity, 5)]),
      alignmentUniformity(l2Normalize(z)),
    ]) as tf.Tensor1D;
    return { positiveHistogram, negativeHistogram, scalars, representationStd: normalizedStd(h) };
  });
}

// The collapse rule lives in protocol/evaluation.ts (collapseVerdict): the UI applies it with the run's first
// measurement as the baseline.
