import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';
import { AUGMENT_WGSL, PARAM, PARAM_COLUMNS } from './wgsl-augment';

/** Threads per workgroup of both programs; the contrast-mean program uses one workgroup per view. */
const WORKGROUP = 64;

const UNIFORMS = 'storedSize : i32, viewSize : i32, blurKernel : i32, stages : i32,';

/**
 * Pass 1 of 2: per-view mean luma of the image as it is when contrast is applied (after the crop and
 * whichever jitter ops precede contrast in that view's random order), as torchvision's adjust_contrast
 * takes it over the whole view. One workgroup per view reduces in shared memory. Views whose contrast
 * factor is 1 (jitter not applied) get 0 and cost nothing.
 *
 * Inputs: Images int32 [B, words] (packed uint8), Params float32 [V, 16]. Output: float32 [V].
 */
export class ContrastMeanProgram implements WebGPUProgram {
  variableNames = ['Images', 'Params'];
  outputShape: number[];
  shaderKey = 'simclrContrastMean';
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  uniforms = UNIFORMS;

  constructor(views: number) {
    this.outputShape = [views];
    this.dispatch = [views, 1, 1];
  }

  getUserCode(): string {
    return `
${AUGMENT_WGSL}
var<workgroup> partial : array<f32, ${WORKGROUP}>;

fn main(index : i32) {
  let v = index / ${WORKGROUP};
  let lane = index % ${WORKGROUP};
  let s = uniforms.viewSize;
  var total = 0.0;
  let needed = param(v, ${PARAM.contrast}) != 1.0 && (uniforms.stages & 1) != 0;
  if (needed) {
    for (var p = lane; p < s * s; p = p + ${WORKGROUP}) {
      var c = cropPixel(v, p / s, p % s);
      for (var slot = 0; slot < 4; slot = slot + 1) {
        let op = jitterOrder(v, slot);
        if (op == 1) { break; }
        c = jitterOp(c, op, v, 0.0);
      }
      total = total + luma(c);
    }
  }
  partial[lane] = total;
  workgroupBarrier();
  for (var stride = ${WORKGROUP / 2}; stride > 0; stride = stride / 2) {
    if (lane < stride) {
      partial[lane] = partial[lane] + partial[lane + stride];
    }
    workgroupBarrier();
  }
  if (lane == 0) {
    setOutputAtIndex(v, partial[0] / f32(s * s));
  }
}
`;
  }
}

/**
 * Pass 2 of 2, the fused augmentation: for every view pixel, the bilinear resized crop + flip read
 * straight from the packed uint8 data set, colour jitter in the view's order (contrast uses pass 1's
 * mean), random grayscale, Gaussian blur (k x k taps with reflect padding, each tap recomputing the
 * colour chain so no intermediate image is stored) and normalization; writes all three channels.
 *
 * Inputs: Images int32 [B, words], Params float32 [V, 16], Means float32 [V].
 * Output: float32 [V, s, s, 3], views ready for the encoder.
 */
export class FusedAugmentProgram implements WebGPUProgram {
  variableNames = ['Images', 'Params', 'Means'];
  outputShape: number[];
  shaderKey = 'simclrFusedAugment';
  dispatchLayout = { x: [0, 1, 2, 3] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  uniforms = `${UNIFORMS} pixels : i32, normMean : vec3<f32>, normStd : vec3<f32>,`;

  constructor(views: number, viewSize: number) {
    this.outputShape = [views, viewSize, viewSize, 3];
    this.dispatch = [Math.ceil((views * viewSize * viewSize) / WORKGROUP), 1, 1];
  }

  getUserCode(): string {
    return `
${AUGMENT_WGSL}

fn colorPixel(v : i32, i : i32, j : i32, contrastMean : f32) -> vec3<f32> {
  var c = cropPixel(v, i, j);
  if ((uniforms.stages & 1) != 0) {
    for (var slot = 0; slot < 4; slot = slot + 1) {
      c = jitterOp(c, jitterOrder(v, slot), v, contrastMean);
    }
  }
  if ((uniforms.stages & 2) != 0 && param(v, ${PARAM.grayscale}) > 0.5) {
    c = vec3<f32>(luma(c));
  }
  return c;
}

// torchvision reflect padding (no edge repeat).
fn reflectIndex(i : i32, n : i32) -> i32 {
  var r = abs(i);
  if (r >= n) { r = 2 * (n - 1) - r; }
  return r;
}

fn main(index : i32) {
  if (index >= uniforms.pixels) { return; }
  let s = uniforms.viewSize;
  let v = index / (s * s);
  let i = (index / s) % s;
  let j = index % s;
  let contrastMean = Means[v];
  let sigma = param(v, ${PARAM.blurSigma});
  var c : vec3<f32>;
  if ((uniforms.stages & 4) != 0 && sigma > 0.0 && uniforms.blurKernel >= 3) {
    let half = uniforms.blurKernel / 2;
    var weightSum = 0.0;
    for (var t = -half; t <= half; t = t + 1) {
      weightSum = weightSum + exp(-f32(t * t) / (2.0 * sigma * sigma));
    }
    c = vec3<f32>(0.0);
    for (var dy = -half; dy <= half; dy = dy + 1) {
      let wy = exp(-f32(dy * dy) / (2.0 * sigma * sigma)) / weightSum;
      let y = reflectIndex(i + dy, s);
      for (var dx = -half; dx <= half; dx = dx + 1) {
        let wx = exp(-f32(dx * dx) / (2.0 * sigma * sigma)) / weightSum;
        c = c + wy * wx * colorPixel(v, y, reflectIndex(j + dx, s), contrastMean);
      }
    }
  } else {
    c = colorPixel(v, i, j, contrastMean);
  }
  if ((uniforms.stages & 8) != 0) {
    c = (c - uniforms.normMean) / uniforms.normStd;
  }
  setOutputAtIndex(index * 3, c.r);
  setOutputAtIndex(index * 3 + 1, c.g);
  setOutputAtIndex(index * 3 + 2, c.b);
}
`;
  }
}

/**
 * One axis of a separable Gaussian blur with reflect padding, for views whose kernel is too large to
 * recompute the colour chain at every tap (see FUSED_BLUR_MAX_KERNEL). Views with sigma 0 pass through;
 * the vertical pass also normalizes when asked.
 *
 * Inputs: Views float32 [V, s, s, 3], Params float32 [V, 16]. Output: float32 [V, s, s, 3].
 */
export class SeparableBlurProgram implements WebGPUProgram {
  variableNames = ['Views', 'Params'];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [0, 1, 2, 3] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  uniforms = 'viewSize : i32, blurKernel : i32, pixels : i32, normMean : vec3<f32>, normStd : vec3<f32>,';

  constructor(
    views: number,
    viewSize: number,
    private readonly vertical: boolean,
    private readonly normalize: boolean,
  ) {
    this.outputShape = [views, viewSize, viewSize, 3];
    this.dispatch = [Math.ceil((views * viewSize * viewSize) / WORKGROUP), 1, 1];
    this.shaderKey = `simclrSeparableBlur_${vertical}_${normalize}`;
  }

  getUserCode(): string {
    return `
fn reflectIndex(i : i32, n : i32) -> i32 {
  var r = abs(i);
  if (r >= n) { r = 2 * (n - 1) - r; }
  return r;
}

fn viewPixel(v : i32, i : i32, j : i32) -> vec3<f32> {
  let o = ((v * uniforms.viewSize + i) * uniforms.viewSize + j) * 3;
  return vec3<f32>(Views[o], Views[o + 1], Views[o + 2]);
}

fn main(index : i32) {
  if (index >= uniforms.pixels) { return; }
  let s = uniforms.viewSize;
  let v = index / (s * s);
  let i = (index / s) % s;
  let j = index % s;
  let sigma = Params[v * ${PARAM_COLUMNS} + ${PARAM.blurSigma}];
  var c : vec3<f32>;
  if (sigma > 0.0) {
    let half = uniforms.blurKernel / 2;
    var weightSum = 0.0;
    c = vec3<f32>(0.0);
    for (var t = -half; t <= half; t = t + 1) {
      let w = exp(-f32(t * t) / (2.0 * sigma * sigma));
      weightSum = weightSum + w;
      ${this.vertical ? 'c = c + w * viewPixel(v, reflectIndex(i + t, s), j);' : 'c = c + w * viewPixel(v, i, reflectIndex(j + t, s));'}
    }
    c = c / weightSum;
  } else {
    c = viewPixel(v, i, j);
  }
  ${this.normalize ? 'c = (c - uniforms.normMean) / uniforms.normStd;' : ''}
  setOutputAtIndex(index * 3, c.r);
  setOutputAtIndex(index * 3 + 1, c.g);
  setOutputAtIndex(index * 3 + 2, c.b);
}
`;
  }
}
