import * as tf from '@tensorflow/tfjs';

/**
 * The k rows of `normalized` [n, d] (l2-normalized) most cosine-similar to row `row`, itself excluded.
 * @returns row positions and similarities, most similar first (k capped at n - 1)
 */
export function nearestRows(
  normalized: tf.Tensor2D,
  row: number,
  k: number,
): { rows: tf.Tensor1D; similarities: tf.Tensor1D } {
  return tf.tidy(() => {
    const n = normalized.shape[0];
    const query = tf.slice(normalized, [row, 0], [1, -1]);
    const similarity = tf.reshape(tf.matMul(query, normalized, false, true), [n]);
    // Drop the query itself by pushing its similarity below any cosine.
    const self = tf.oneHot(tf.tensor1d([row], 'int32'), n).reshape([n]);
    const masked = tf.sub(similarity, tf.mul(self, 10));
    const { values, indices } = tf.topk(masked, Math.max(0, Math.min(k, n - 1)));
    return { rows: indices as tf.Tensor1D, similarities: values as tf.Tensor1D };
  });
}
