import * as tf from '@tensorflow/tfjs';
import { normalizeImages } from '../augment/augment-views';
import type { Optimizer } from '../optim/optimizers';
import type { Classifier } from './classifier';

/**
 * Stored images as the classifier's input: [count, s, s, 3] normalized, resized (bilinear) from the store's
 * size when it differs, and mirrored left-right where `flips[i]` is 1 (the only augmentation of fine-tuning
 * here, with the crop the store already made; SimCLR v2 fine-tunes with crop and flip).
 *
 * @param pixels count x storeSize x storeSize x 3 values 0..255 (the image store's layout)
 */
export function classifierInput(
  pixels: Int32Array,
  count: number,
  storeSize: number,
  inputSize: number,
  flips?: Uint8Array,
): tf.Tensor4D {
  return tf.tidy(() => {
    let x = tf.div(tf.tensor4d(pixels, [count, storeSize, storeSize, 3], 'float32'), 255) as tf.Tensor4D;
    if (storeSize !== inputSize) x = tf.image.resizeBilinear(x, [inputSize, inputSize], false, true);
    if (flips?.some((f) => f === 1)) {
      const mask = tf.tensor4d(Float32Array.from(flips), [count, 1, 1, 1]);
      x = tf.add(tf.mul(tf.reverse(x, 2), mask), tf.mul(x, tf.sub(1, mask))) as tf.Tensor4D;
    }
    return normalizeImages(x);
  });
}

/**
 * One fine-tuning step: softmax cross-entropy of the classifier's logits, gradients of every trained
 * parameter (BatchNorm's scale and shift too), optimizer update. Nothing is read back.
 *
 * @param x [B, s, s, 3] normalized images; labels [B] int32
 * @param batchStatistics BatchNorm normalizes with the batch's statistics and updates its moving ones; false
 *   keeps the moving statistics frozen (a trained encoder's: docs/fine-tune.md measures why)
 * @returns the batch's loss before the update
 */
export function fineTuneStep(
  classifier: Classifier,
  optimizer: Optimizer,
  x: tf.Tensor4D,
  labels: tf.Tensor1D,
  classes: number,
  learningRate: number,
  batchStatistics: boolean,
): tf.Scalar {
  return tf.tidy(() => {
    const variables = classifier.params.map((p) => p.variable);
    const targets = tf.oneHot(tf.cast(labels, 'int32'), classes);
    const { value, grads } = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy(targets, classifier.logits(x, batchStatistics)) as tf.Scalar,
      variables,
    );
    optimizer.apply(
      variables.map((v) => grads[v.name]!),
      learningRate,
    );
    return value;
  });
}

/** Row = true class, column = predicted class, row-major; counts. */
export function confusionMatrix(truth: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number[] {
  const matrix = new Array<number>(classes * classes).fill(0);
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i]!;
    const p = predicted[i]!;
    if (t >= 0 && t < classes && p >= 0 && p < classes) matrix[t * classes + p]! += 1;
  }
  return matrix;
}

/** Share of the matrix on its diagonal (NaN when empty). */
export function accuracyOf(confusion: readonly number[], classes: number): number {
  let total = 0;
  let right = 0;
  confusion.forEach((count, i) => {
    total += count;
    if (Math.floor(i / classes) === i % classes) right += count;
  });
  return total === 0 ? Number.NaN : right / total;
}
