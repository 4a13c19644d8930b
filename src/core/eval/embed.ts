import * as tf from '@tensorflow/tfjs';
import { normalizeImages } from '../augment/augment-views';

/**
 * Representations h of images with the encoder in inference mode (BatchNorm moving statistics):
 * exactly what the exported model computes for the same pixels.
 *
 * @param rgb count x size x size x 3 RGB bytes
 * @returns count x d floats
 */
export async function embedPixels(
  encoder: tf.LayersModel,
  rgb: Uint8Array,
  count: number,
  size: number,
): Promise<Float32Array> {
  const h = tf.tidy(() => {
    const pixels = tf.div(tf.tensor4d(Float32Array.from(rgb), [count, size, size, 3]), 255) as tf.Tensor4D;
    return encoder.predict(normalizeImages(pixels)) as tf.Tensor2D;
  });
  // GPU-to-CPU sync: one read-back per embedding request.
  const values = (await h.data()) as Float32Array;
  h.dispose();
  return values;
}
