import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';

/**
 * WGSL programs of the fused NT-Xent (nt-xent.ts runs them). z [M, d] holds both views stacked, M = 2N:
 * row i and row (i + N) mod M are a positive pair. Cosine similarities are dot(z_i, z_j) / (|z_i| |z_j|)
 * with norms clamped at 1e-12 (torch.nn.functional.normalize); logits are similarities / temperature.
 */

const FLAT = 64;
/** Lanes of the one-workgroup-per-row log-sum-exp pass. */
const ROW_LANES = 64;

/** Uniforms shared by all passes, in this order. */
export const NT_XENT_UNIFORMS = 'rows : i32, dim : i32, half : i32, invTemperature : f32,';

const COSINE_WGSL = `
fn clampedNorm(i : i32) -> f32 { return max(Norms[i], 1e-12); }
fn logit(i : i32, j : i32) -> f32 {
  var s = 0.0;
  for (var k = 0; k < uniforms.dim; k = k + 1) {
    s = s + Z[i * uniforms.dim + k] * Z[j * uniforms.dim + k];
  }
  return s / (clampedNorm(i) * clampedNorm(j)) * uniforms.invTemperature;
}
fn positiveOf(i : i32) -> i32 { return (i + uniforms.half) % uniforms.rows; }
`;

/** Row l2 norms (not clamped). Input Z [M, d]; output [M]. */
export class RowNormProgram implements WebGPUProgram {
  variableNames = ['Z'];
  outputShape: number[];
  shaderKey = 'simclrNtXentRowNorm';
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [FLAT, 1, 1];
  uniforms = NT_XENT_UNIFORMS;

  constructor(rows: number) {
    this.outputShape = [rows];
    this.dispatch = [Math.ceil(rows / FLAT), 1, 1];
  }

  getUserCode(): string {
    return `
fn main(index : i32) {
  if (index >= uniforms.rows) { return; }
  var s = 0.0;
  for (var k = 0; k < uniforms.dim; k = k + 1) {
    let v = Z[index * uniforms.dim + k];
    s = s + v * v;
  }
  setOutputAtIndex(index, sqrt(s));
}
`;
  }
}

/**
 * One workgroup per anchor row i: log-sum-exp of its logits over j != i (lanes keep a running max and
 * sum, merged in shared memory), and the row's loss lse_i - logit(i, positive).
 * Inputs Z [M, d], Norms [M]. Output [M, 2]: (lse_i, loss_i).
 */
export class NtXentRowsProgram implements WebGPUProgram {
  variableNames = ['Z', 'Norms'];
  outputShape: number[];
  shaderKey = 'simclrNtXentRows';
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [ROW_LANES, 1, 1];
  uniforms = NT_XENT_UNIFORMS;

  constructor(rows: number) {
    this.outputShape = [rows, 2];
    this.dispatch = [rows, 1, 1];
  }

  getUserCode(): string {
    const merges: string[] = [];
    for (let stride = ROW_LANES / 2; stride >= 1; stride /= 2) {
      merges.push(`if (lane < ${stride}) {
    let m = max(laneMax[lane], laneMax[lane + ${stride}]);
    laneSum[lane] = laneSum[lane] * exp(laneMax[lane] - m) + laneSum[lane + ${stride}] * exp(laneMax[lane + ${stride}] - m);
    laneMax[lane] = m;
  }
  workgroupBarrier();`);
    }
    return `
${COSINE_WGSL}
var<workgroup> laneMax : array<f32, ${ROW_LANES}>;
var<workgroup> laneSum : array<f32, ${ROW_LANES}>;

fn main(index : i32) {
  let i = index / ${ROW_LANES};
  let lane = index % ${ROW_LANES};
  let inRange = i < uniforms.rows;
  var mx = -3.0e38;
  var sum = 0.0;
  if (inRange) {
    for (var j = lane; j < uniforms.rows; j = j + ${ROW_LANES}) {
      if (j != i) {
        let s = logit(i, j);
        if (s > mx) {
          sum = sum * exp(mx - s) + 1.0;
          mx = s;
        } else {
          sum = sum + exp(s - mx);
        }
      }
    }
  }
  laneMax[lane] = mx;
  laneSum[lane] = sum;
  workgroupBarrier();
  ${merges.join('\n  ')}
  if (lane == 0 && inRange) {
    let lse = laneMax[0] + log(laneSum[0]);
    setOutputAtIndex(i * 2, lse);
    setOutputAtIndex(i * 2 + 1, lse - logit(i, positiveOf(i)));
  }
}
`;
  }
}

/** Mean of the row losses in one workgroup. Input Rows [M, 2]; output [1]. */
export class NtXentMeanProgram implements WebGPUProgram {
  variableNames = ['Rows'];
  outputShape = [1];
  shaderKey = 'simclrNtXentMean';
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number] = [1, 1, 1];
  workgroupSize: [number, number, number] = [FLAT, 1, 1];
  uniforms = NT_XENT_UNIFORMS;

  getUserCode(): string {
    const steps: string[] = [];
    for (let stride = FLAT / 2; stride >= 1; stride /= 2) {
      steps.push(`if (lane < ${stride}) { partial[lane] = partial[lane] + partial[lane + ${stride}]; }
  workgroupBarrier();`);
    }
    return `
var<workgroup> partial : array<f32, ${FLAT}>;
fn main(index : i32) {
  let lane = index;
  var s = 0.0;
  for (var i = lane; i < uniforms.rows; i = i + ${FLAT}) { s = s + Rows[i * 2 + 1]; }
  partial[lane] = s;
  workgroupBarrier();
  ${steps.join('\n  ')}
  if (lane == 0) { setOutputAtIndex(0, partial[0] / f32(uniforms.rows)); }
}
`;
  }
}

/**
 * Backward 1/3: coefficient matrix C [M, M] with dz_normalized = C z_normalized:
 * C_ij = dL * (p_ij + p_ji - 2 [j = positive(i)]) / (M * temperature), C_ii = 0, p_ij = exp(logit_ij - lse_i).
 * Inputs Z, Norms, Rows [M, 2], Dy [1] (upstream gradient of the loss). One thread per (i, j).
 */
export class NtXentCoefficientProgram implements WebGPUProgram {
  variableNames = ['Z', 'Norms', 'Rows', 'Dy'];
  outputShape: number[];
  shaderKey = 'simclrNtXentCoefficients';
  dispatchLayout = { x: [0, 1] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [FLAT, 1, 1];
  uniforms = NT_XENT_UNIFORMS;

  constructor(rows: number) {
    this.outputShape = [rows, rows];
    this.dispatch = [Math.ceil((rows * rows) / FLAT), 1, 1];
  }

  getUserCode(): string {
    return `
${COSINE_WGSL}
fn main(index : i32) {
  let M = uniforms.rows;
  if (index >= M * M) { return; }
  let i = index / M;
  let j = index % M;
  if (i == j) {
    setOutputAtIndex(index, 0.0);
    return;
  }
  let s = logit(i, j);
  var c = exp(s - Rows[i * 2]) + exp(s - Rows[j * 2]);
  if (j == positiveOf(i)) { c = c - 2.0; }
  setOutputAtIndex(index, Dy[0] * c * uniforms.invTemperature / f32(M));
}
`;
  }
}

/** Backward 2/3: gradient wrt the normalized rows, dzn = C zn. Inputs Coef [M, M], Z, Norms. Output [M, d]. */
export class NtXentGradNormalizedProgram implements WebGPUProgram {
  variableNames = ['Coef', 'Z', 'Norms'];
  outputShape: number[];
  shaderKey = 'simclrNtXentGradNormalized';
  dispatchLayout = { x: [0, 1] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [FLAT, 1, 1];
  uniforms = NT_XENT_UNIFORMS;

  constructor(rows: number, dim: number) {
    this.outputShape = [rows, dim];
    this.dispatch = [Math.ceil((rows * dim) / FLAT), 1, 1];
  }

  getUserCode(): string {
    return `
fn main(index : i32) {
  let M = uniforms.rows;
  let d = uniforms.dim;
  if (index >= M * d) { return; }
  let i = index / d;
  let k = index % d;
  var s = 0.0;
  for (var j = 0; j < M; j = j + 1) {
    s = s + Coef[i * M + j] * Z[j * d + k] / max(Norms[j], 1e-12);
  }
  setOutputAtIndex(index, s);
}
`;
  }
}

/**
 * Backward 3/3: through z / max(|z|, eps): dz = (dzn - zn (zn . dzn)) / |z| where |z| > eps, else dzn / eps.
 * Inputs GradN [M, d], Z, Norms. Output [M, d].
 */
export class NtXentGradInputProgram implements WebGPUProgram {
  variableNames = ['GradN', 'Z', 'Norms'];
  outputShape: number[];
  shaderKey = 'simclrNtXentGradInput';
  dispatchLayout = { x: [0, 1] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [FLAT, 1, 1];
  uniforms = NT_XENT_UNIFORMS;

  constructor(rows: number, dim: number) {
    this.outputShape = [rows, dim];
    this.dispatch = [Math.ceil((rows * dim) / FLAT), 1, 1];
  }

  getUserCode(): string {
    return `
fn main(index : i32) {
  let d = uniforms.dim;
  if (index >= uniforms.rows * d) { return; }
  let i = index / d;
  let norm = Norms[i];
  if (norm <= 1e-12) {
    setOutputAtIndex(index, GradN[index] / 1e-12);
    return;
  }
  var r = 0.0;
  for (var k = 0; k < d; k = k + 1) { r = r + Z[i * d + k] * GradN[i * d + k]; }
  r = r / norm;
  setOutputAtIndex(index, (GradN[index] - Z[index] / norm * r) / norm);
}
`;
  }
}
