import * as tf from '@tensorflow/tfjs';

/**
 * Pieces of the conv gradients done as matMuls where that measured faster than one XNNPACK convolution
 * on wasm (e2e/bench/cpu/conv-grad.measure.ts). tfjs-backend-wasm's Slice is a slow loop, so the strided
 * subsample of x is a depthwise conv with a 1x1 filter of ones at that stride (XNNPACK, threaded, exact).
 * The same trick for 3x3 (patches from a one-hot depthwise conv with 9 outputs per channel, then one
 * matMul) measured 3-7x slower than the convolution trick, in both matMul operand orders, so 3x3 keeps it.
 */

/**
 * dW of a 1x1 conv: x (subsampled at the stride) [P, Cin]^T x dy [P, Cout]. dy goes first, (dy^T x)^T:
 * XNNPACK packs the second operand as weights on each call, and packing x (Cin <= Cout) measured faster.
 *
 * @param x [N, H, W, Cin]; @param dy [N, OH, OW, Cout] with OH = ceil(H / sh); returns [1, 1, Cin, Cout]
 */
export function filterGrad1x1(x: tf.Tensor4D, dy: tf.Tensor4D, strides: [number, number]): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, oh, ow, cout] = dy.shape;
    const cin = x.shape[3];
    const sampled =
      strides[0] === 1 && strides[1] === 1 ? x : tf.depthwiseConv2d(x, tf.ones([1, 1, cin, 1]), strides, 'valid');
    const rows = n * oh * ow;
    const dwT = tf.matMul(tf.reshape(dy, [rows, cout]), tf.reshape(sampled, [rows, cin]), true, false);
    return tf.reshape(tf.transpose(dwT), [1, 1, cin, cout]);
  });
}
