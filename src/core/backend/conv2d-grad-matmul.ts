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
 * XNNPACK packs the second operand as weights on each call; packing x (Cin <= Cout) measured faster at
 * batch 64 and even at 256.
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

/** Filters from this many weights up flip with a permutation matMul, which measured 1.5-4x faster than Reverse. */
const FLIP_BY_MATMUL_FROM = 9 * 64 * 64;

/**
 * The filter of the input gradient's convolution: W flipped in space, Cin and Cout swapped:
 * [KH, KW, Cin, Cout] -> [KH, KW, Cout, Cin]. tfjs-backend-wasm's Reverse is slow for large filters; the
 * flip as P [T, T] x W [T, Cin*Cout], P the anti-diagonal permutation, is exact (one 1 per row).
 */
export function flippedFilter(filter: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [kh, kw, cin, cout] = filter.shape;
    const taps = kh * kw;
    if (filter.size < FLIP_BY_MATMUL_FROM) return tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
    const perm = new Float32Array(taps * taps);
    for (let t = 0; t < taps; t++) perm[t * taps + (taps - 1 - t)] = 1;
    const flipped = tf.matMul(tf.tensor2d(perm, [taps, taps]), tf.reshape(filter, [taps, cin * cout]));
    return tf.transpose(tf.reshape(flipped, [kh, kw, cin, cout]), [0, 1, 3, 2]);
  });
}
