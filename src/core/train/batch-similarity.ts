import * as tf from '@tensorflow/tfjs';
import { cosineSimilarityMatrix, positivePairMask } from '../loss/nt-xent';

export interface SimilaritySnapshot {
  /** Scalars: mean cosine similarity over positive pairs and over negative pairs. */
  positive: tf.Scalar;
  negative: tf.Scalar;
  /**
   * [2m, 2m] similarities of the first m images' two views, interleaved: rows 2k and 2k+1 are the two views
   * of image k, so positive pairs sit in 2x2 blocks along the diagonal and form a visible band.
   */
  matrix: tf.Tensor2D;
}

/** Similarity statistics of projections z [2N, d] for the dashboard; `maxImages` caps the heat map side. */
export function batchSimilarity(z: tf.Tensor2D, maxImages: number): SimilaritySnapshot {
  return tf.tidy(() => {
    const views = z.shape[0];
    const n = views / 2;
    const similarity = cosineSimilarityMatrix(z);
    const positives = positivePairMask(n);
    const negatives = tf.sub(tf.sub(1, tf.eye(views)), positives);
    const positive = tf.div(tf.sum(tf.mul(similarity, positives)), views) as tf.Scalar;
    const negative = tf.div(tf.sum(tf.mul(similarity, negatives)), views * (views - 2)) as tf.Scalar;
    const m = Math.min(n, maxImages);
    const keep = tf.tensor1d(
      Array.from({ length: 2 * m }, (_, i) => (i % 2 === 0 ? i / 2 : n + (i - 1) / 2)),
      'int32',
    );
    const matrix = tf.gather(tf.gather(similarity, keep, 0), keep, 1) as tf.Tensor2D;
    return { positive, negative, matrix };
  });
}

/** Both views of the first m images of x [2N, d] (rows 0..m-1 and N..N+m-1): [2m, d]. */
export function leadingImages(x: tf.Tensor2D, m: number): tf.Tensor2D {
  return tf.tidy(() => {
    const n = x.shape[0] / 2;
    const k = Math.min(m, n);
    return tf.concat([tf.slice(x, [0, 0], [k, -1]), tf.slice(x, [n, 0], [k, -1])], 0);
  });
}

/** x itself when it has at most m images' views, else leadingImages(x, m) with x disposed. */
export function takeLeadingImages(x: tf.Tensor2D, m: number): tf.Tensor2D {
  if (x.shape[0] <= 2 * m) return x;
  const kept = leadingImages(x, m);
  x.dispose();
  return kept;
}
