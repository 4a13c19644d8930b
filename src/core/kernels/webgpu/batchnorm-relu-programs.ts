import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';

/**
 * WGSL programs of the fused training-mode BatchNorm(+residual)+ReLU (batchnorm-relu.ts runs them).
 * Activations are viewed as [M, C] (channels last, M = N*H*W); per-channel reductions go in two passes:
 * partial results over chunks of rows ([2, P, C]), then one thread per channel combines the P chunks.
 */

/** Channels and row lanes of one workgroup of the partial passes (16 x 16 = 256 threads). */
const TC = 16;
const TR = 16;
/** Threads per workgroup of the element-wise and combine passes. */
const FLAT = 64;

/** Rows per chunk of the partial reductions: at least 128, at most 256 chunks. */
export function chunkRowsFor(rows: number): number {
  return Math.max(128, Math.ceil(rows / 256));
}

/** Uniforms of the partial and combine passes, in this order. */
export const REDUCE_UNIFORMS = 'rows : i32, channels : i32, chunkRows : i32, chunks : i32, epsilon : f32,';

function treeReduce(buffer: string): string {
  const steps: string[] = [];
  for (let stride = TR / 2; stride >= 1; stride /= 2) {
    steps.push(`if (rl < ${stride}) { ${buffer}[lane] = ${buffer}[lane] + ${buffer}[lane + ${stride * TC}]; }
  workgroupBarrier();`);
  }
  return steps.join('\n  ');
}

const PARTIAL_HEADER = `
var<workgroup> sumA : array<f32, ${TC * TR}>;
var<workgroup> sumB : array<f32, ${TC * TR}>;

fn main(index : i32) {
  let group = index / ${TC * TR};
  let lane = index % ${TC * TR};
  let cl = lane % ${TC};
  let rl = lane / ${TC};
  let channelGroups = (uniforms.channels + ${TC - 1}) / ${TC};
  let p = group / channelGroups;
  let c = (group % channelGroups) * ${TC} + cl;
  let C = uniforms.channels;
  let r0 = p * uniforms.chunkRows;
  let r1 = min(r0 + uniforms.chunkRows, uniforms.rows);
  let inRange = c < C && p < uniforms.chunks;
`;

/**
 * Pass 1 of the batch statistics: per chunk of rows and channel, the chunk's mean and its sum of squared
 * deviations M2 (two passes over the chunk, so no cancellation as with sum and sum of squares).
 *
 * Input X float32 [M, C]. Output float32 [2, P, C]: [0] chunk means, [1] chunk M2.
 */
export class BnMomentsPartialProgram implements WebGPUProgram {
  variableNames = ['X'];
  outputShape: number[];
  shaderKey = 'simclrBnMomentsPartial';
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [TC * TR, 1, 1];
  uniforms = REDUCE_UNIFORMS;

  constructor(channels: number, chunks: number) {
    this.outputShape = [2, chunks, channels];
    this.dispatch = [Math.ceil(channels / TC) * chunks, 1, 1];
  }

  getUserCode(): string {
    return `${PARTIAL_HEADER}
  var s = 0.0;
  if (inRange) {
    for (var r = r0 + rl; r < r1; r = r + ${TR}) { s = s + X[r * C + c]; }
  }
  sumA[lane] = s;
  workgroupBarrier();
  ${treeReduce('sumA')}
  let mean = sumA[cl] / f32(max(r1 - r0, 1));
  var q = 0.0;
  if (inRange) {
    for (var r = r0 + rl; r < r1; r = r + ${TR}) {
      let d = X[r * C + c] - mean;
      q = q + d * d;
    }
  }
  sumB[lane] = q;
  workgroupBarrier();
  ${treeReduce('sumB')}
  if (rl == 0 && inRange) {
    setOutputAtIndex(p * C + c, mean);
    setOutputAtIndex(uniforms.chunks * C + p * C + c, sumB[cl]);
  }
}
`;
  }
}

/**
 * Pass 1 of the backward sums: per chunk and channel, sum(g) and sum(g * xhat), where g = dy * (y > 0)
 * (or dy where there is no ReLU) and xhat = (x - mean) / sqrt(var + eps).
 *
 * Inputs Dy [M, C], Y [M, C] (only with relu), X [M, C], Stats [2, C] (mean, variance).
 * Output float32 [2, P, C]: [0] partial sum(g), [1] partial sum(g * xhat).
 */
export class BnGradPartialProgram implements WebGPUProgram {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [TC * TR, 1, 1];
  uniforms = REDUCE_UNIFORMS;
  private readonly relu: boolean;

  constructor(channels: number, chunks: number, relu: boolean) {
    this.outputShape = [2, chunks, channels];
    this.dispatch = [Math.ceil(channels / TC) * chunks, 1, 1];
    this.relu = relu;
    // Only inputs the shader reads: WebGPU drops unused bindings from an 'auto' layout.
    this.variableNames = relu ? ['Dy', 'Y', 'X', 'Stats'] : ['Dy', 'X', 'Stats'];
    this.shaderKey = `simclrBnGradPartial_${relu}`;
  }

  getUserCode(): string {
    const g = this.relu ? 'select(0.0, Dy[i], Y[i] > 0.0)' : 'Dy[i]';
    return `${PARTIAL_HEADER}
  var a = 0.0;
  var b = 0.0;
  if (inRange) {
    let mean = Stats[c];
    let invStd = inverseSqrt(Stats[C + c] + uniforms.epsilon);
    for (var r = r0 + rl; r < r1; r = r + ${TR}) {
      let i = r * C + c;
      let g = ${g};
      a = a + g;
      b = b + g * (X[i] - mean) * invStd;
    }
  }
  sumA[lane] = a;
  sumB[lane] = b;
  workgroupBarrier();
  ${treeReduce('sumA')}
  ${treeReduce('sumB')}
  if (rl == 0 && inRange) {
    setOutputAtIndex(p * C + c, sumA[cl]);
    setOutputAtIndex(uniforms.chunks * C + p * C + c, sumB[cl]);
  }
}
`;
  }
}

/**
 * Pass 2: one thread per channel combines the P chunk results. 'moments' merges chunk means and M2 with
 * Chan et al.'s pairwise formula and writes [mean, biased variance] (as tf.moments); 'sum' adds them.
 *
 * Input Part float32 [2, P, C]. Output float32 [2, C].
 */
export class BnCombineProgram implements WebGPUProgram {
  variableNames = ['Part'];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [FLAT, 1, 1];
  uniforms = REDUCE_UNIFORMS;
  private readonly mode: 'moments' | 'sum';

  constructor(channels: number, mode: 'moments' | 'sum') {
    this.outputShape = [2, channels];
    this.dispatch = [Math.ceil(channels / FLAT), 1, 1];
    this.mode = mode;
    this.shaderKey = `simclrBnCombine_${mode}`;
  }

  getUserCode(): string {
    const body =
      this.mode === 'moments'
        ? `
  var n = 0.0;
  var mean = 0.0;
  var m2 = 0.0;
  for (var p = 0; p < P; p = p + 1) {
    let nb = f32(min(uniforms.chunkRows, uniforms.rows - p * uniforms.chunkRows));
    let total = n + nb;
    let delta = Part[p * C + c] - mean;
    mean = mean + delta * nb / total;
    m2 = m2 + Part[P * C + p * C + c] + delta * delta * n * nb / total;
    n = total;
  }
  setOutputAtIndex(c, mean);
  setOutputAtIndex(C + c, m2 / f32(uniforms.rows));`
        : `
  var a = 0.0;
  var b = 0.0;
  for (var p = 0; p < P; p = p + 1) {
    a = a + Part[p * C + c];
    b = b + Part[P * C + p * C + c];
  }
  setOutputAtIndex(c, a);
  setOutputAtIndex(C + c, b);`;
    return `
fn main(index : i32) {
  let C = uniforms.channels;
  let P = uniforms.chunks;
  let c = index;
  if (c >= C) { return; }
  ${body}
}
`;
  }
}

/**
 * Forward, element-wise: y = gamma * (x - mean) / sqrt(var + eps) + beta [+ residual], then ReLU if asked.
 *
 * Inputs X [M, C], Stats [2, C], Gamma [C], Beta [C] [, Residual [M, C]]. Output float32 [M, C].
 * Uniforms: size (M * C), channels, epsilon.
 */
export class BnApplyProgram implements WebGPUProgram {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [0, 1] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [FLAT, 1, 1];
  uniforms = 'total : i32, channels : i32, epsilon : f32,';
  private readonly relu: boolean;
  private readonly residual: boolean;

  constructor(rows: number, channels: number, relu: boolean, residual: boolean) {
    this.outputShape = [rows, channels];
    this.dispatch = [Math.ceil((rows * channels) / FLAT), 1, 1];
    this.relu = relu;
    this.residual = residual;
    this.variableNames = residual ? ['X', 'Stats', 'Gamma', 'Beta', 'Residual'] : ['X', 'Stats', 'Gamma', 'Beta'];
    this.shaderKey = `simclrBnApply_${relu}_${residual}`;
  }

  getUserCode(): string {
    return `
fn main(index : i32) {
  if (index >= uniforms.total) { return; }
  let C = uniforms.channels;
  let c = index % C;
  let invStd = inverseSqrt(Stats[C + c] + uniforms.epsilon);
  var y = (X[index] - Stats[c]) * invStd * Gamma[c] + Beta[c];
  ${this.residual ? 'y = y + Residual[index];' : ''}
  ${this.relu ? 'y = max(y, 0.0);' : ''}
  setOutputAtIndex(index, y);
}
`;
  }
}

/**
 * Backward, element-wise: dx = gamma / sigma * (g - sum(g) / M - xhat * sum(g * xhat) / M).
 *
 * Inputs Dy [M, C], Y [M, C] (only with relu), X [M, C], Stats [2, C], Gamma [C], Sums [2, C]
 * (sum g, sum g * xhat). Output float32 [M, C]. Uniforms: size, channels, epsilon, rows.
 */
export class BnGradInputProgram implements WebGPUProgram {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [0, 1] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [FLAT, 1, 1];
  uniforms = 'total : i32, channels : i32, epsilon : f32, rows : i32,';
  private readonly relu: boolean;

  constructor(rows: number, channels: number, relu: boolean) {
    this.outputShape = [rows, channels];
    this.dispatch = [Math.ceil((rows * channels) / FLAT), 1, 1];
    this.relu = relu;
    this.variableNames = relu ? ['Dy', 'Y', 'X', 'Stats', 'Gamma', 'Sums'] : ['Dy', 'X', 'Stats', 'Gamma', 'Sums'];
    this.shaderKey = `simclrBnGradInput_${relu}`;
  }

  getUserCode(): string {
    const g = this.relu ? 'select(0.0, Dy[index], Y[index] > 0.0)' : 'Dy[index]';
    return `
fn main(index : i32) {
  if (index >= uniforms.total) { return; }
  let C = uniforms.channels;
  let c = index % C;
  let m = f32(uniforms.rows);
  let invStd = inverseSqrt(Stats[C + c] + uniforms.epsilon);
  let xhat = (X[index] - Stats[c]) * invStd;
  let g = ${g};
  setOutputAtIndex(index, Gamma[c] * invStd * (g - Sums[c] / m - xhat * Sums[C + c] / m));
}
`;
  }
}

/** Backward of the ReLU alone: g = dy * (y > 0), also the gradient of the residual. Inputs Dy, Y [M, C]. */
export class ReluGradProgram implements WebGPUProgram {
  variableNames = ['Dy', 'Y'];
  outputShape: number[];
  shaderKey = 'simclrReluGrad';
  dispatchLayout = { x: [0, 1] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [FLAT, 1, 1];
  uniforms = 'total : i32,';

  constructor(rows: number, channels: number) {
    this.outputShape = [rows, channels];
    this.dispatch = [Math.ceil((rows * channels) / FLAT), 1, 1];
  }

  getUserCode(): string {
    return `
fn main(index : i32) {
  if (index >= uniforms.total) { return; }
  setOutputAtIndex(index, select(0.0, Dy[index], Y[index] > 0.0));
}
`;
  }
}

/**
 * tfjs-layers' moving-average update of one statistic, same arithmetic (normalization.js):
 * moving - (moving - batch) * decay, decay = 1 - momentum; batch is row `row` of Stats.
 * Inputs Moving [C], Stats [2, C]. Output float32 [C].
 */
export class MovingAverageProgram implements WebGPUProgram {
  variableNames = ['Moving', 'Stats'];
  outputShape: number[];
  shaderKey = 'simclrBnMovingAverage';
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [FLAT, 1, 1];
  uniforms = 'channels : i32, row : i32, decay : f32,';

  constructor(channels: number) {
    this.outputShape = [channels];
    this.dispatch = [Math.ceil(channels / FLAT), 1, 1];
  }

  getUserCode(): string {
    return `
fn main(index : i32) {
  if (index >= uniforms.channels) { return; }
  let moving = Moving[index];
  setOutputAtIndex(index, moving - (moving - Stats[uniforms.row * uniforms.channels + index]) * uniforms.decay);
}
`;
  }
}
