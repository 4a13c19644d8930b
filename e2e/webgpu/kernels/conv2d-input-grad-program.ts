import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';
import { type FilterGradTile, TILE_K } from '../../../src/core/kernels/webgpu/conv2d-filter-grad-programs';

export const INPUT_GRAD_UNIFORMS =
  'inH : i32, inW : i32, inC : i32, outH : i32, outW : i32, outC : i32, strideH : i32, strideW : i32, ' +
  'padTop : i32, padLeft : i32, kH : i32, kW : i32, batch : i32,';

const LANES = ['x', 'y', 'z', 'w'] as const;

/**
 * Input gradient as an implicit GEMM split by stride phase: dx[n, ih, iw, ci] = sum over taps
 * (kh, kw) and co of dy[n, (ih + padTop - kh) / sH, (iw + padLeft - kw) / sW, co] * W[kh, kw, ci, co],
 * where only taps with kh = (ih + padTop) mod sH (mod sH) divide exactly. Workgroup z is the phase
 * (ph, pw): its rows are the pixels whose (ih + padTop, iw + padLeft) mod s equal it, and its
 * reduction runs over that phase's taps only, tiled through shared memory (stock's default direct
 * program visits every tap of every pixel and skips the non-dividing ones, three in four at
 * stride 2). Phases with no tap (a 1x1 stride-2 conv) write zeros.
 *
 * Inputs: dy [N, OH, OW, Cout], W [KH, KW, Cin, Cout]; output dx [N, H, W, Cin] (NHWC only).
 * vec4 loads along Cout when Cout % 4 == 0.
 */
export class Conv2DInputGradProgram implements WebGPUProgram {
  variableNames = ['dy', 'W'];
  variableComponents: number[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  uniforms = INPUT_GRAD_UNIFORMS;
  private readonly tile: FilterGradTile;
  private readonly vecK: boolean;

  /** `phaseRows`: the most pixels any phase has (N * ceil(H / sH) * ceil(W / sW)). */
  constructor(outputShape: number[], phaseRows: number, phases: number, tile: FilterGradTile, vecK: boolean) {
    this.outputShape = outputShape;
    this.tile = tile;
    this.vecK = vecK;
    this.variableComponents = [vecK ? 4 : 1, vecK ? 4 : 1];
    this.workgroupSize = [tile / 4, tile / 4, 1];
    this.dispatch = [Math.ceil((outputShape[3] ?? 1) / tile), Math.ceil(phaseRows / tile), phases];
    this.shaderKey = `simclrConv2DInputGrad_${tile}_${vecK}`;
  }

  getUserCode(): string {
    const t = this.tile;
    const groups = t / 4;
    const threads = groups * groups;
    const kQuads = TILE_K / 4;
    // each pass stages one vec4 (4 consecutive k) of A and of B per thread
    const passes = (t * kQuads) / threads;
    const rowsPerPass = threads / kQuads;
    const loads = this.vecK
      ? `let tap = k / uniforms.outC;
          let co = k - tap * uniforms.outC;
          let th = tap / tapsW;
          let kh = ph + th * uniforms.strideH;
          let kw = pw + (tap - th * tapsW) * uniforms.strideW;
          let oh = (ih + uniforms.padTop - kh) / uniforms.strideH;
          let ow = (iw + uniforms.padLeft - kw) / uniforms.strideW;
          if (rowOk && oh >= 0 && oh < uniforms.outH && ow >= 0 && ow < uniforms.outW) {
            a = dy[(((nb * uniforms.outH + oh) * uniforms.outW + ow) * uniforms.outC + co) / 4];
          }
          if (ci < uniforms.inC) {
            b = W[(((kh * uniforms.kW + kw) * uniforms.inC + ci) * uniforms.outC + co) / 4];
          }`
      : LANES.map(
          (l, j) => `{
            let kj = k + ${j};
            if (kj < kSize) {
              let tap = kj / uniforms.outC;
              let co = kj - tap * uniforms.outC;
              let th = tap / tapsW;
              let kh = ph + th * uniforms.strideH;
              let kw = pw + (tap - th * tapsW) * uniforms.strideW;
              let oh = (ih + uniforms.padTop - kh) / uniforms.strideH;
              let ow = (iw + uniforms.padLeft - kw) / uniforms.strideW;
              if (rowOk && oh >= 0 && oh < uniforms.outH && ow >= 0 && ow < uniforms.outW) {
                a.${l} = dy[((nb * uniforms.outH + oh) * uniforms.outW + ow) * uniforms.outC + co];
              }
              if (ci < uniforms.inC) {
                b.${l} = W[((kh * uniforms.kW + kw) * uniforms.inC + ci) * uniforms.outC + co];
              }
            }
          }`,
        ).join('\n          ');
    const stage = LANES.map(
      (l, j) => `tileA[(kq * 4 + ${j}) * ${t} + r] = a.${l};
        tileB[(kq * 4 + ${j}) * ${t} + r] = b.${l};`,
    ).join('\n        ');
    const accumulate = [0, 1, 2, 3]
      .map((i) => `acc[${i}] = fma(vec4<f32>(tileA[kk * ${t} + ty * 4 + ${i}]), bv, acc[${i}]);`)
      .join('\n      ');
    const store = [0, 1, 2, 3]
      .map(
        (i) => `if (outRow[${i}] >= 0) {
    ${LANES.map((l, j) => `if (col0 + ${j} < uniforms.inC) { result[outRow[${i}] + col0 + ${j}] = acc[${i}].${l}; }`).join('\n    ')}
  }`,
      )
      .join('\n  ');
    return `
var<workgroup> tileA : array<f32, ${TILE_K * t}>;
var<workgroup> tileB : array<f32, ${TILE_K * t}>;
var<workgroup> phaseSteps : i32;

// First coordinate of phase p along an axis, and how many coordinates (of size) have it.
fn phaseStart(p : i32, pad : i32, s : i32) -> i32 {
  return ((p - pad) % s + s) % s;
}
fn phaseCount(p : i32, pad : i32, s : i32, size : i32) -> i32 {
  return max(0, (size - phaseStart(p, pad, s) + s - 1) / s);
}

fn main(index : i32) {
  let tx = i32(localId.x);
  let ty = i32(localId.y);
  let tid = ty * ${groups} + tx;
  let tileCol = i32(workgroupId.x) * ${t};
  let tileRow = i32(workgroupId.y) * ${t};
  let phase = i32(workgroupId.z);
  let ph = phase / uniforms.strideW;
  let pw = phase % uniforms.strideW;
  let tapsH = max(0, (uniforms.kH - ph + uniforms.strideH - 1) / uniforms.strideH);
  let tapsW = max(0, (uniforms.kW - pw + uniforms.strideW - 1) / uniforms.strideW);
  let kSize = tapsH * tapsW * uniforms.outC;
  let h0 = phaseStart(ph, uniforms.padTop, uniforms.strideH);
  let w0 = phaseStart(pw, uniforms.padLeft, uniforms.strideW);
  let countH = phaseCount(ph, uniforms.padTop, uniforms.strideH, uniforms.inH);
  let countW = phaseCount(pw, uniforms.padLeft, uniforms.strideW, uniforms.inW);
  let rows = uniforms.batch * countH * countW;
  if (tid == 0) {
    phaseSteps = (kSize + ${TILE_K - 1}) / ${TILE_K};
  }
  // the step count differs by phase (workgroup z); loading it this way makes it workgroup-uniform
  let steps = workgroupUniformLoad(&phaseSteps);

  var acc = array<vec4<f32>, 4>(vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0));
  let kq = tid % ${kQuads};
  for (var step = 0; step < steps; step = step + 1) {
    for (var p = 0; p < ${passes}; p = p + 1) {
      let r = tid / ${kQuads} + p * ${rowsPerPass};
      let m = tileRow + r;
      let rowOk = m < rows;
      let nb = m / max(1, countH * countW);
      let rest = m - nb * countH * countW;
      let ah = rest / max(1, countW);
      let ih = h0 + ah * uniforms.strideH;
      let iw = w0 + (rest - ah * countW) * uniforms.strideW;
      let ci = tileCol + r;
      let k = step * ${TILE_K} + kq * 4;
      var a = vec4<f32>(0.0);
      var b = vec4<f32>(0.0);
      if (k < kSize) {
          ${loads}
      }
        ${stage}
    }
    workgroupBarrier();
    for (var kk = 0; kk < ${TILE_K}; kk = kk + 1) {
      let bv = vec4<f32>(tileB[kk * ${t} + tx * 4], tileB[kk * ${t} + tx * 4 + 1],
                         tileB[kk * ${t} + tx * 4 + 2], tileB[kk * ${t} + tx * 4 + 3]);
      ${accumulate}
    }
    workgroupBarrier();
  }

  var outRow = vec4<i32>(-1);
  for (var i = 0; i < 4; i = i + 1) {
    let m = tileRow + ty * 4 + i;
    if (m < rows) {
      let nb = m / (countH * countW);
      let rest = m - nb * countH * countW;
      let ah = rest / countW;
      let ih = h0 + ah * uniforms.strideH;
      let iw = w0 + (rest - ah * countW) * uniforms.strideW;
      outRow[i] = ((nb * uniforms.inH + ih) * uniforms.inW + iw) * uniforms.inC;
    }
  }
  let col0 = tileCol + tx * 4;
  ${store}
}
`;
  }
}
