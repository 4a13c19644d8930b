import type { Rng } from '../random/rng';
import type { BatchNormReluReferenceInput } from './batchnorm-relu-reference';

/**
 * Shared inputs of the fused BatchNorm+ReLU tests (reference vs tfjs autodiff, vs the tf-ops version on
 * CPU/wasm, vs the WGSL kernels in Dawn).
 */

/** n values uniform in [offset - scale, offset + scale). */
export function uniformValues(rng: Rng, n: number, scale = 1, offset = 0): Float32Array {
  return Float32Array.from({ length: n }, () => (rng.next() * 2 - 1) * scale + offset);
}

/** The reference input with the typed arrays the tests also upload as tensors. */
export interface BatchNormReluCaseInput extends BatchNormReluReferenceInput {
  x: Float32Array;
  gamma: Float32Array;
  beta: Float32Array;
  residual: Float32Array | null;
}

/**
 * A random case of `rows` x `channels` activations and its output gradient, drawn in the order
 * x, gamma, beta, residual (when asked for), dy. `xOffset` shifts every x, so a centred variance matters.
 */
export function randomBatchNormReluCase(
  rng: Rng,
  rows: number,
  channels: number,
  options: { relu: boolean; residual: boolean; xOffset: number },
): { input: BatchNormReluCaseInput; dy: Float32Array } {
  const size = rows * channels;
  const x = uniformValues(rng, size, 2, options.xOffset);
  const gamma = uniformValues(rng, channels, 0.5, 1);
  const beta = uniformValues(rng, channels, 0.5);
  const residual = options.residual ? uniformValues(rng, size) : null;
  const dy = uniformValues(rng, size);
  return { input: { x, rows, channels, gamma, beta, epsilon: 1e-5, relu: options.relu, residual }, dy };
}
