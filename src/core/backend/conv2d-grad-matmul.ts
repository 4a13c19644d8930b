import * as tf from '@tensorflow/tfjs';

/**
 * The filter flip of the wasm input gradient as a matMul (e2e/bench/cpu/conv-grad.measure.ts). Also measured
 * and not kept (2 threads): the 1x1 filter gradient as one matMul (with transposeA tfjs-wasm leaves XNNPACK for
 * a scalar loop, 4x slower at 128 -> 256 channels; with dy transposed first it was within 10-25% of the
 * convolution trick, not worth a second path), and the 3x3 filter gradient as patches from a one-hot
 * depthwise conv plus one matMul (3-7x slower than the convolution trick, in both operand orders).
 */

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
