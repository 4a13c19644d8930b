import * as tf from '@tensorflow/tfjs';
import { normalizeImages } from '../augment/augment-views';

/**
 * Representations h of stored images with the encoder in inference mode, left on the GPU.
 *
 * @param pixels count x storeSize x storeSize x 3 pixel values 0..255 (the image store's layout)
 * @param inputSize the encoder's input side; images are resized to it (bilinear) when the store differs
 * @returns [count, d]
 */
export function embedStoredImages(
  encoder: tf.LayersModel,
  pixels: Int32Array,
  count: number,
  storeSize: number,
  inputSize: number,
): tf.Tensor2D {
  return tf.tidy(() => {
    let x = tf.div(tf.tensor4d(pixels, [count, storeSize, storeSize, 3], 'float32'), 255) as tf.Tensor4D;
    if (storeSize !== inputSize) x = tf.image.resizeBilinear(x, [inputSize, inputSize], false, true);
    return encoder.predict(normalizeImages(x)) as tf.Tensor2D;
  });
}
