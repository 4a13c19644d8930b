/**
 * Plain TypeScript reference of the fused training-mode BatchNorm(+residual)+ReLU (webgpu/batchnorm-relu.ts),
 * in float64, on activations flattened to [M, C] row-major (channels last).
 */

export interface BatchNormReluReferenceInput {
  x: ArrayLike<number>;
  rows: number;
  channels: number;
  gamma: ArrayLike<number>;
  beta: ArrayLike<number>;
  epsilon: number;
  relu: boolean;
  residual: ArrayLike<number> | null;
}

export interface BatchNormReluReferenceForward {
  y: Float64Array;
  mean: Float64Array;
  /** Biased (divided by M), as tf.moments and tfjs-layers' moving-variance update use it. */
  variance: Float64Array;
}

export function batchNormReluReferenceForward(input: BatchNormReluReferenceInput): BatchNormReluReferenceForward {
  const { x, rows, channels: C, gamma, beta, epsilon, relu, residual } = input;
  const mean = new Float64Array(C);
  const variance = new Float64Array(C);
  for (let r = 0; r < rows; r++) for (let c = 0; c < C; c++) mean[c]! += x[r * C + c]!;
  for (let c = 0; c < C; c++) mean[c]! /= rows;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < C; c++) {
      const d = x[r * C + c]! - mean[c]!;
      variance[c]! += d * d;
    }
  }
  for (let c = 0; c < C; c++) variance[c]! /= rows;
  const y = new Float64Array(rows * C);
  for (let i = 0; i < rows * C; i++) {
    const c = i % C;
    let v = (gamma[c]! * (x[i]! - mean[c]!)) / Math.sqrt(variance[c]! + epsilon) + beta[c]!;
    if (residual) v += residual[i]!;
    y[i] = relu ? Math.max(v, 0) : v;
  }
  return { y, mean, variance };
}

export interface BatchNormReluReferenceGrads {
  dx: Float64Array;
  dgamma: Float64Array;
  dbeta: Float64Array;
  /** Gradient of the residual (dy masked by the ReLU); null without a residual. */
  dresidual: Float64Array | null;
}

/** Gradients of sum(dy * y) wrt x, gamma, beta and the residual, by the fused formula. */
export function batchNormReluReferenceBackward(
  input: BatchNormReluReferenceInput,
  dy: ArrayLike<number>,
): BatchNormReluReferenceGrads {
  const { x, rows, channels: C, gamma, epsilon, relu, residual } = input;
  const { y, mean, variance } = batchNormReluReferenceForward(input);
  const g = Float64Array.from({ length: rows * C }, (_, i) => (relu && y[i]! <= 0 ? 0 : dy[i]!));
  const invStd = Float64Array.from(variance, (v) => 1 / Math.sqrt(v + epsilon));
  const dbeta = new Float64Array(C);
  const dgamma = new Float64Array(C);
  for (let i = 0; i < rows * C; i++) {
    const c = i % C;
    dbeta[c]! += g[i]!;
    dgamma[c]! += g[i]! * (x[i]! - mean[c]!) * invStd[c]!;
  }
  const dx = new Float64Array(rows * C);
  for (let i = 0; i < rows * C; i++) {
    const c = i % C;
    const xhat = (x[i]! - mean[c]!) * invStd[c]!;
    dx[i] = gamma[c]! * invStd[c]! * (g[i]! - dbeta[c]! / rows - (xhat * dgamma[c]!) / rows);
  }
  return { dx, dgamma, dbeta, dresidual: residual ? g : null };
}
