import * as tf from '@tensorflow/tfjs';
import { normalizeImages } from '../augment/augment-views';

/**
 * Representations h of stored images with the encoder in inference mode, resized from the stored
 * size to the encoder's input size (bilinear) when they differ.
 *
 * @param rgb count x storeSize x storeSize x 3 RGB bytes
 * @returns count x d floats
 */
export async function embedStoredImages(
  encoder: tf.LayersModel,
  rgb: Uint8Array,
  count: number,
  storeSize: number,
  inputSize: number,
): Promise<Float32Array> {
  const h = tf.tidy(() => {
    let pixels = tf.div(tf.tensor4d(Float32Array.from(rgb), [count, storeSize, storeSize, 3]), 255) as tf.Tensor4D;
    if (storeSize !== inputSize) pixels = tf.image.resizeBilinear(pixels, [inputSize, inputSize], false, true);
    return encoder.predict(normalizeImages(pixels)) as tf.Tensor2D;
  });
  // GPU-to-CPU sync: one read-back per batch of the data set.
  const values = (await h.data()) as Float32Array;
  h.dispose();
  return values;
}
