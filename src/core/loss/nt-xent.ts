import * as tf from '@tensorflow/tfjs';

/**
 * NT-Xent (normalized temperature-scaled cross entropy), SimCLR eq. (1).
 *
 * Views are stacked as [z1; z2]: row i (i < N) and row i + N are the two views of image i, the
 * positive pair; the other 2N - 2 rows are its negatives. The loss is averaged over all 2N anchors.
 * Computed with log-sum-exp, so it does not overflow at small temperatures.
 *
 * @param z1 [N, d] projections of the first views (need not be normalized)
 * @param z2 [N, d] projections of the second views
 * @returns scalar loss
 */
export function ntXentLoss(z1: tf.Tensor2D, z2: tf.Tensor2D, temperature: number): tf.Scalar {
  return tf.tidy(() => {
    const n = z1.shape[0];
    const z = tf.concat([z1, z2], 0);
    const similarity = cosineSimilarityMatrix(z);
    const logits = tf.div(maskSelfSimilarity(similarity), temperature);
    const positiveLogits = tf.div(tf.sum(tf.mul(similarity, positivePairMask(n)), 1), temperature);
    const logSumExp = tf.logSumExp(logits, 1);
    return tf.mean(tf.sub(logSumExp, positiveLogits)) as tf.Scalar;
  });
}

/** z [M, d] -> [M, M] cosine similarities. */
export function cosineSimilarityMatrix(z: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const normalized = l2Normalize(z);
    return tf.matMul(normalized, normalized, false, true);
  });
}

/** Rows scaled to unit l2 norm (eps guards all-zero rows, as torch.nn.functional.normalize does). */
export function l2Normalize(z: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const norm = tf.maximum(tf.norm(z, 'euclidean', 1, true), 1e-12);
    return tf.div(z, norm);
  });
}

/** [2N, 2N] mask with 1 where column j is the positive of row i (j = i +/- N). */
export function positivePairMask(n: number): tf.Tensor2D {
  return tf.tidy(() => {
    const eye = tf.eye(n);
    const zeros = tf.zerosLike(eye);
    return tf.concat([tf.concat([zeros, eye], 1), tf.concat([eye, zeros], 1)], 0) as tf.Tensor2D;
  });
}

/** Replaces the diagonal (a view with itself) by a large negative number so it drops out of the softmax. */
function maskSelfSimilarity(similarity: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const m = similarity.shape[0];
    const eye = tf.eye(m);
    // -1e9 rather than -Infinity: 0 * Infinity in the gradient would give NaN.
    return tf.sub(tf.mul(similarity, tf.sub(1, eye)), tf.mul(eye, 1e9));
  });
}
