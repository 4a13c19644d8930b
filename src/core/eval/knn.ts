import * as tf from '@tensorflow/tfjs';

/** Temperature of the weighted kNN vote (InstDisc, Wu et al. 2018; lightly's kNN monitor uses 0.1). */
export const KNN_TEMPERATURE = 0.1;

/**
 * Weighted kNN classification accuracy (InstDisc): each query's k most cosine-similar bank rows vote for
 * their label with weight exp(similarity / t); the prediction is the label with the largest total.
 *
 * @param bank [B, d] l2-normalized features of the memory bank (training split)
 * @param bankLabels [B] int32 labels
 * @param queries [Q, d] l2-normalized features of the held-out split
 * @param queryLabels [Q] int32 labels
 * @returns scalar accuracy in [0, 1]; k is capped at B
 */
export function weightedKnnAccuracy(
  bank: tf.Tensor2D,
  bankLabels: tf.Tensor1D,
  queries: tf.Tensor2D,
  queryLabels: tf.Tensor1D,
  classes: number,
  k: number,
  temperature = KNN_TEMPERATURE,
): tf.Scalar {
  return tf.tidy(() => {
    const kk = Math.max(1, Math.min(k, bank.shape[0]));
    const similarity = tf.matMul(queries, bank, false, true);
    const { values, indices } = tf.topk(similarity, kk);
    const votes = tf.oneHot(tf.gather(bankLabels, indices), classes);
    const weights = tf.expandDims(tf.exp(tf.div(values, temperature)), 2);
    const scores = tf.sum(tf.mul(votes, weights), 1);
    const predicted = tf.argMax(scores, 1);
    return tf.mean(tf.cast(tf.equal(predicted, tf.cast(queryLabels, 'int32')), 'float32')) as tf.Scalar;
  });
}
