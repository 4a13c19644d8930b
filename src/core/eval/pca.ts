import * as tf from '@tensorflow/tfjs';

/** Power-iteration steps per component: enough for the top two directions of a few hundred dimensions. */
const POWER_ITERATIONS = 60;

/**
 * Projects rows of x [n, d] onto their first two principal components, on the GPU: power iteration on the
 * covariance matrix with deflation. Each component's sign is fixed (its largest-magnitude entry positive)
 * so maps from successive passes do not flip.
 *
 * @returns [n, 2] coordinates (column 0 the direction of largest variance)
 */
export function pca2d(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const [n, d] = x.shape;
    const centered = tf.sub(x, tf.mean(x, 0, true));
    let covariance = tf.div(tf.matMul(centered, centered, true, false), Math.max(1, n - 1)) as tf.Tensor2D;
    const components: tf.Tensor2D[] = [];
    for (let c = 0; c < 2; c++) {
      // A fixed, non-degenerate start vector keeps the result deterministic.
      let v = tf.tensor2d(
        Array.from({ length: d }, (_, i) => 1 + ((i * 7 + c * 3) % 11) / 11),
        [d, 1],
      );
      for (let i = 0; i < POWER_ITERATIONS; i++) {
        const next = tf.matMul(covariance, v);
        v = tf.div(next, tf.maximum(tf.norm(next), 1e-12));
      }
      const flat = tf.reshape(v, [d]);
      const largest = tf.gather(flat, tf.argMax(tf.abs(flat)));
      v = tf.mul(v, tf.sign(tf.add(tf.sign(largest), 0.5))) as tf.Tensor2D;
      const eigenvalue = tf.sum(tf.mul(v, tf.matMul(covariance, v)));
      covariance = tf.sub(covariance, tf.mul(eigenvalue, tf.matMul(v, v, false, true))) as tf.Tensor2D;
      components.push(v as tf.Tensor2D);
    }
    return tf.matMul(centered, tf.concat(components, 1)) as tf.Tensor2D;
  });
}
