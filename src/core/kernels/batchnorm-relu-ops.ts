import * as tf from '@tensorflow/tfjs';
import type { CustomKernel } from './registry';
import type { BatchNormReluOptions, BatchNormReluResult } from './webgpu/batchnorm-relu';

/** Id in the kernel registry; the model calls batchNormReluInOps only while it is enabled on its backend. */
export const BATCHNORM_RELU_OPS_ID = 'batchnorm-relu-ops';

/**
 * The training BatchNorm(+residual)+ReLU of webgpu/batchnorm-relu.ts written in tfjs ops with a closed-form
 * gradient, for backends without our shaders. On wasm it replaces tfjs's autodiff through tf.moments and
 * tf.batchNorm (dozens of small ops, Tile among the slowest kernels of a step) with at most 7 ops over the
 * activation forward and 10 backward, the rest on [C] vectors. Measured on wasm in Node (e2e/bench/cpu
 * wasm-step, batch 16): 5.2-5.3 s -> 3.6-3.9 s per step, peak 1130 -> 838 MB; on the CPU backend only ~5%
 * (9.8 -> 9.3-9.4 s, width 1/4, 16 px, batch 8), so it is enabled for wasm alone.
 */
export const batchNormReluOpsKernel: CustomKernel = {
  id: BATCHNORM_RELU_OPS_ID,
  summary: 'training BatchNorm (+ residual add) + ReLU in tfjs ops with a closed-form gradient',
  backendName: 'wasm',
  overrides: [],
};

/**
 * The BN layer's moving-statistics update in ops, as tfjs-layers does it (normalization.js doMovingAverage):
 * moving - (moving - batch) * (1 - momentum), with row 0 of `stats` (mean) or row 1 (biased variance).
 */
export function movingAverageInOps(moving: tf.Tensor1D, stats: tf.Tensor2D, row: 0 | 1, momentum: number): tf.Tensor1D {
  return tf.tidy(() => {
    const batch = tf.reshape(tf.slice(stats, [row, 0], [1, -1]), moving.shape);
    return tf.sub(moving, tf.mul(tf.sub(moving, batch), 1 - momentum));
  });
}

/**
 * Per-channel sum of a [rows, C] matrix as one matMul with a column of ones (m^T [C, rows] x [rows, 1]). On
 * wasm, tf.sum/tf.mean over axis 0 transpose the matrix and reduce it in a scalar loop; the matMul reads m
 * once with SIMD (4-10x faster at [65536, 32]) and, summing in blocks, is closer to a float64 sum
 * (batchnorm-relu-ops.test.ts measures both). With the ones as the first operand XNNPACK packs m each call
 * and is as slow as tf.sum.
 */
function columnSum(m: tf.Tensor): tf.Tensor1D {
  const [rows, channels] = m.shape as [number, number];
  return tf.reshape(tf.matMul(m as tf.Tensor2D, tf.fill([rows, 1], 1), true, false), [channels]);
}

/** Per-channel mean of a [rows, C] matrix: columnSum / rows. */
export function columnMean(m: tf.Tensor): tf.Tensor1D {
  return tf.mul(columnSum(m), 1 / m.shape[0]!);
}

/**
 * Training-mode BatchNorm over all axes but the last, optional residual add, optional ReLU, on any backend.
 * Forward: mean, var = mean((x - mean)^2) (biased, as tf.moments), y = relu(x * s + t [+ residual]) with
 * s = gamma / sigma and t = beta - mean * s per channel. Backward, with g = dy * (y > 0), xc = x - mean,
 * dbeta = sum(g), dgamma = sum(g * xc) / sigma and
 * dx = gamma / sigma * (g - mean(g) - xhat * mean(g * xhat)) = s * g + xc * (-s * dgamma / (sigma * M)) - s * mean(g),
 * dresidual = g. Per-channel vectors broadcast over the rows (no Tile).
 *
 * @param x [..., C] float32
 * @param gamma [C] scale, beta [C] offset (the layer's variables: they receive gradients)
 */
export function batchNormReluInOps(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  options: BatchNormReluOptions,
): BatchNormReluResult {
  const channels = x.shape[x.rank - 1]!;
  const rows = x.size / channels;
  const kept: { stats?: tf.Tensor2D } = {};
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const [input, scale, offset, residual] = args.slice(0, -1) as tf.Tensor[];
    const x2 = tf.reshape(input!, [rows, channels]);
    const mean = columnMean(x2);
    const variance = columnMean(tf.squaredDifference(x2, mean));
    const invStd = tf.rsqrt(tf.add(variance, options.epsilon));
    const s = tf.mul(scale!, invStd);
    const t = tf.sub(offset!, tf.mul(mean, s));
    let y2 = tf.add(tf.mul(x2, s), t);
    if (residual) y2 = tf.add(y2, tf.reshape(residual, [rows, channels]));
    if (options.relu) y2 = tf.relu(y2);
    kept.stats = tf.keep(tf.stack([mean, variance]) as tf.Tensor2D);
    save([x2, y2, mean, invStd, s]);
    return {
      value: tf.reshape(y2, input!.shape),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ys, mu, inv, sc] = saved as [tf.Tensor, tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
        let g = tf.reshape(dy, [rows, channels]);
        if (options.relu) g = tf.mul(g, tf.step(ys));
        const xc = tf.sub(xs, mu);
        const dbeta = columnSum(g);
        const dgamma = tf.mul(columnSum(tf.mul(g, xc)), inv);
        // dx = sc * g + xc * k + c with per-channel k = -sc * dgamma * inv / M and c = -sc * dbeta / M
        const k = tf.mul(tf.mul(sc, tf.mul(dgamma, inv)), -1 / rows);
        const c = tf.mul(sc, tf.mul(dbeta, -1 / rows));
        const dx = tf.add(tf.add(tf.mul(g, sc), tf.mul(xc, k)), c);
        const grads = [tf.reshape(dx, input!.shape), dgamma, dbeta];
        if (residual) grads.push(tf.reshape(g, residual.shape));
        return grads;
      },
    };
  });
  const operands = options.residual ? [x, gamma, beta, options.residual] : [x, gamma, beta];
  const y = op(...operands);
  return { y, stats: kept.stats! };
}
