import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';

/** Rows of the reduction (batch x output pixels) one workgroup stages in shared memory per step. */
export const TILE_K = 16;

/** Square output tiles: 64 (16x16 threads) or 32 (8x8 threads); each thread accumulates 4x4 outputs. */
export type FilterGradTile = 32 | 64;

/**
 * Output tile side of both convolution-gradient programs. 32 (8x8 threads, the shape of tfjs-webgpu's
 * own conv2d/matmul programs) measured 1.3-3.6x faster than 64 on Dawn/SwiftShader for the ResNet-18
 * filter gradients and up to 1.5x for the strided input gradients; 64 stays selectable for measuring
 * on a real GPU.
 */
export const convGradTuning: { tile: FilterGradTile } = { tile: 32 };

export const FILTER_GRAD_UNIFORMS =
  'inH : i32, inW : i32, inC : i32, outH : i32, outW : i32, outC : i32, strideH : i32, strideW : i32, ' +
  'padTop : i32, padLeft : i32, kW : i32, mSize : i32, kSize : i32, kPerSplit : i32, ' +
  'xStrideN : i32, xStrideH : i32, xStrideW : i32, xStrideC : i32, ' +
  'dyStrideN : i32, dyStrideH : i32, dyStrideW : i32, dyStrideC : i32,';

const LANES = ['x', 'y', 'z', 'w'] as const;

/**
 * Filter gradient as a split-K implicit GEMM: dW[m, co] = sum_k A[k, m] * dy[k, co] with
 * m = (kh, kw, ci), k = (n, oh, ow) and A[k, m] = x[n, oh*s + kh - padTop, ow*s + kw - padLeft, ci]
 * (zero outside the image). Workgroup (i, j, s) computes the tile at columns i*T, rows j*T over the
 * reduction rows [s*kPerSplit, (s+1)*kPerSplit); each split writes its own partial [splits, M*Cout]
 * (or the filter itself when there is one split), summed by SumPartialsProgram.
 *
 * Inputs: x [N, H, W, Cin] (or NCHW, via the stride uniforms), dy [N, OH, OW, Cout].
 * vec4 loads of x need NHWC and Cin % 4 == 0; of dy, NHWC and Cout % 4 == 0.
 */
export class Conv2DFilterGradProgram implements WebGPUProgram {
  variableNames = ['x', 'dy'];
  variableComponents: number[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  uniforms = FILTER_GRAD_UNIFORMS;
  private readonly tile: FilterGradTile;
  private readonly vecX: boolean;
  private readonly vecDy: boolean;

  constructor(
    outputShape: number[],
    m: number,
    n: number,
    splits: number,
    tile: FilterGradTile,
    vecX: boolean,
    vecDy: boolean,
  ) {
    this.outputShape = outputShape;
    this.tile = tile;
    this.vecX = vecX;
    this.vecDy = vecDy;
    this.variableComponents = [vecX ? 4 : 1, vecDy ? 4 : 1];
    this.workgroupSize = [tile / 4, tile / 4, 1];
    this.dispatch = [Math.ceil(n / tile), Math.ceil(m / tile), splits];
    this.shaderKey = `simclrConv2DFilterGrad_${tile}_${vecX}_${vecDy}`;
  }

  getUserCode(): string {
    const t = this.tile;
    const groups = t / 4; // vec4 columns of a tile row
    const threads = groups * groups;
    const rowsPerPass = threads / groups;
    const passes = TILE_K / rowsPerPass;
    const loadA = this.vecX
      ? `if (aOk.x && inside(ih0 + aKh.x, iw0 + aKw.x)) {
          a = x[(xBase + (ih0 + aKh.x) * uniforms.xStrideH + (iw0 + aKw.x) * uniforms.xStrideW + aCi.x) / 4];
        }`
      : LANES.map(
          (l) => `if (aOk.${l} && inside(ih0 + aKh.${l}, iw0 + aKw.${l})) {
          a.${l} = x[xBase + (ih0 + aKh.${l}) * uniforms.xStrideH + (iw0 + aKw.${l}) * uniforms.xStrideW + aCi.${l} * uniforms.xStrideC];
        }`,
        ).join('\n        ');
    const loadB = this.vecDy
      ? `if (col < uniforms.outC) { b = dy[(dyBase + col) / 4]; }`
      : LANES.map(
          (l, j) => `if (col + ${j} < uniforms.outC) { b.${l} = dy[dyBase + (col + ${j}) * uniforms.dyStrideC]; }`,
        ).join('\n        ');
    const accumulate = LANES.map((l, i) => `acc[${i}] = fma(vec4<f32>(av.${l}), bv, acc[${i}]);`).join('\n      ');
    const store = [0, 1, 2, 3]
      .map(
        (i) => `if (row0 + ${i} < uniforms.mSize) {
    ${LANES.map((l, j) => `if (col0 + ${j} < uniforms.outC) { result[outBase + (row0 + ${i}) * uniforms.outC + col0 + ${j}] = acc[${i}].${l}; }`).join('\n    ')}
  }`,
      )
      .join('\n  ');
    return `
var<workgroup> tileA : array<vec4<f32>, ${TILE_K * groups}>;
var<workgroup> tileB : array<vec4<f32>, ${TILE_K * groups}>;

fn inside(ih : i32, iw : i32) -> bool {
  return ih >= 0 && ih < uniforms.inH && iw >= 0 && iw < uniforms.inW;
}

fn main(index : i32) {
  let tx = i32(localId.x);
  let ty = i32(localId.y);
  let tid = ty * ${groups} + tx;
  let tileCol = i32(workgroupId.x) * ${t};
  let tileRow = i32(workgroupId.y) * ${t};
  let split = i32(workgroupId.z);
  let kBegin = split * uniforms.kPerSplit;
  let kEnd = min(kBegin + uniforms.kPerSplit, uniforms.kSize);

  // This thread stages the 4 filter rows m = tileRow + g*4 + j (and dy columns tileCol + g*4 + j)
  // of reduction rows r0 + p*${rowsPerPass}; the (kh, kw, ci) of its rows are fixed for the whole loop.
  let g = tid % ${groups};
  let r0 = tid / ${groups};
  var aKh = vec4<i32>(0);
  var aKw = vec4<i32>(0);
  var aCi = vec4<i32>(0);
  var aOk = vec4<bool>(false);
  for (var j = 0; j < 4; j = j + 1) {
    let m = tileRow + g * 4 + j;
    let ci = m % uniforms.inC;
    let rest = m / uniforms.inC;
    aCi[j] = ci;
    aKw[j] = rest % uniforms.kW;
    aKh[j] = rest / uniforms.kW;
    aOk[j] = m < uniforms.mSize;
  }
  let col = tileCol + g * 4;
  let ohw = uniforms.outH * uniforms.outW;

  var acc = array<vec4<f32>, 4>(vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0));
  // the trip count comes from uniforms only, so the barriers stay in uniform control flow
  let steps = uniforms.kPerSplit / ${TILE_K};
  for (var step = 0; step < steps; step = step + 1) {
    for (var p = 0; p < ${passes}; p = p + 1) {
      let r = r0 + p * ${rowsPerPass};
      let k = kBegin + step * ${TILE_K} + r;
      var a = vec4<f32>(0.0);
      var b = vec4<f32>(0.0);
      if (k < kEnd) {
        let nb = k / ohw;
        let rem = k - nb * ohw;
        let oh = rem / uniforms.outW;
        let ow = rem - oh * uniforms.outW;
        let ih0 = oh * uniforms.strideH - uniforms.padTop;
        let iw0 = ow * uniforms.strideW - uniforms.padLeft;
        let xBase = nb * uniforms.xStrideN;
        ${loadA}
        let dyBase = nb * uniforms.dyStrideN + oh * uniforms.dyStrideH + ow * uniforms.dyStrideW;
        ${loadB}
      }
      tileA[r * ${groups} + g] = a;
      tileB[r * ${groups} + g] = b;
    }
    workgroupBarrier();
    for (var kk = 0; kk < ${TILE_K}; kk = kk + 1) {
      let av = tileA[kk * ${groups} + ty];
      let bv = tileB[kk * ${groups} + tx];
      ${accumulate}
    }
    workgroupBarrier();
  }

  let row0 = tileRow + ty * 4;
  let col0 = tileCol + tx * 4;
  let outBase = split * uniforms.mSize * uniforms.outC;
  ${store}
}
`;
  }
}

/** Sums the split-K partials [splits, size] into the filter gradient (size elements). */
export class SumPartialsProgram implements WebGPUProgram {
  variableNames = ['partials'];
  outputShape: number[];
  shaderKey = 'simclrSumPartials';
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [64, 1, 1];
  uniforms = 'count : i32, splits : i32,';

  constructor(outputShape: number[], count: number) {
    this.outputShape = outputShape;
    this.dispatch = [Math.ceil(count / 64), 1, 1];
  }

  getUserCode(): string {
    return `
fn main(index : i32) {
  if (index < uniforms.count) {
    var total = 0.0;
    for (var s = 0; s < uniforms.splits; s = s + 1) {
      total = total + partials[s * uniforms.count + index];
    }
    result[index] = total;
  }
}
`;
  }
}
