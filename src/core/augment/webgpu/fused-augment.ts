import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { NORMALIZE_MEAN, NORMALIZE_STD } from '../../../protocol/config';
import { effectiveBlurKernel, type ViewParams } from '../params';
import { ContrastMeanProgram, FusedAugmentProgram, SeparableBlurProgram } from './augment-programs';
import { PARAM, PARAM_COLUMNS, STAGE } from './wgsl-augment';

/**
 * Largest blur kernel applied inside the fused pass, where every tap recomputes the crop and colour
 * chain (k^2 chains per pixel: 9 at 32 px). Larger kernels (k = 23 at 224 px) blur in two separable
 * passes over the colour-processed views instead (2k taps per pixel).
 */
export const FUSED_BLUR_MAX_KERNEL = 5;

/** Name of the custom kernel; registered for the webgpu backend by registerFusedAugmentKernel. */
export const FUSED_AUGMENT_KERNEL = 'SimclrFusedAugment';

/** The per-view parameter rows the kernel reads, float32 [V, 16] (layout in wgsl-augment.ts PARAM). */
export function paramRows(params: ViewParams, sourceIndex: ArrayLike<number>): Float32Array {
  const rows = new Float32Array(params.count * PARAM_COLUMNS);
  for (let v = 0; v < params.count; v++) {
    const row = v * PARAM_COLUMNS;
    rows.set(params.crops.subarray(v * 4, v * 4 + 4), row + PARAM.top);
    rows[row + PARAM.flip] = params.flip[v]!;
    rows[row + PARAM.brightness] = params.brightness[v]!;
    rows[row + PARAM.contrast] = params.contrast[v]!;
    rows[row + PARAM.saturation] = params.saturation[v]!;
    rows[row + PARAM.hue] = params.hue[v]!;
    for (let k = 0; k < 4; k++) rows[row + PARAM.order + k] = params.jitterOrder[v * 4 + k]!;
    rows[row + PARAM.grayscale] = params.grayscale[v]!;
    rows[row + PARAM.blurSigma] = params.blurSigma[v]!;
    rows[row + PARAM.source] = sourceIndex[v]!;
  }
  return rows;
}

interface FusedAttrs {
  storedSize: number;
  viewSize: number;
  stages: number;
}

/** Kernel function: contrast means, then the fused views (plus two separable blur passes for large kernels). */
function fusedAugmentKernel(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = args.backend as WebGPUBackend;
  const { images, params } = args.inputs as { images: tf.TensorInfo; params: tf.TensorInfo };
  const { storedSize, viewSize, stages } = args.attrs as unknown as FusedAttrs;
  const views = params.shape[0]!;
  const uniforms = [
    { type: 'int32', data: [storedSize] },
    { type: 'int32', data: [viewSize] },
    { type: 'int32', data: [effectiveBlurKernel(viewSize)] },
    { type: 'int32', data: [stages] },
  ];
  const means = backend.runWebGPUProgram(new ContrastMeanProgram(views), [images, params], 'float32', uniforms);
  const normalization = [
    { type: 'float32', data: [...NORMALIZE_MEAN] },
    { type: 'float32', data: [...NORMALIZE_STD] },
  ];
  const pixels = { type: 'int32', data: [views * viewSize * viewSize] };
  const blurKernel = effectiveBlurKernel(viewSize);
  const separable = (stages & STAGE.blur) !== 0 && blurKernel > FUSED_BLUR_MAX_KERNEL;
  // With a large kernel: colour pass without blur and normalization, then the blur one axis at a time.
  const colourStages = separable ? stages & ~(STAGE.blur | STAGE.normalize) : stages;
  const colourUniforms = [...uniforms.slice(0, 3), { type: 'int32', data: [colourStages] }, pixels, ...normalization];
  let out = backend.runWebGPUProgram(
    new FusedAugmentProgram(views, viewSize),
    [images, params, means],
    'float32',
    colourUniforms,
  );
  backend.disposeData(means.dataId);
  if (separable) {
    const blurUniforms = [
      { type: 'int32', data: [viewSize] },
      { type: 'int32', data: [blurKernel] },
      pixels,
      ...normalization,
    ];
    const normalize = (stages & STAGE.normalize) !== 0;
    for (const vertical of [false, true]) {
      const program = new SeparableBlurProgram(views, viewSize, vertical, vertical && normalize);
      const next = backend.runWebGPUProgram(program, [out, params], 'float32', blurUniforms);
      backend.disposeData(out.dataId);
      out = next;
    }
  }
  return out;
}

let registered = false;

/** Registers the fused augmentation kernel for tfjs's webgpu backend (idempotent). */
export function registerFusedAugmentKernel(): void {
  if (registered || tf.getKernel(FUSED_AUGMENT_KERNEL, 'webgpu')) {
    registered = true;
    return;
  }
  tf.registerKernel({ kernelName: FUSED_AUGMENT_KERNEL, backendName: 'webgpu', kernelFunc: fusedAugmentKernel });
  registered = true;
}

/**
 * SimCLR views of a batch in one fused GPU pass (plus a small per-view reduction for contrast), on the
 * webgpu backend. Only the parameter rows ([V, 16] floats) are uploaded.
 *
 * @param packed int32 [B, packedWords(storedSize)]: the batch's uint8 images packed 4 per word
 * @param sourceIndex [V] which row of `packed` each view is cut from
 * @returns float32 [V, viewSize, viewSize, 3], normalized
 */
export function fusedAugmentViews(
  packed: tf.Tensor2D,
  storedSize: number,
  sourceIndex: ArrayLike<number>,
  params: ViewParams,
  viewSize: number,
  stages: number = STAGE.all,
): tf.Tensor4D {
  registerFusedAugmentKernel();
  return tf.tidy(() => {
    const rows = tf.tensor2d(paramRows(params, sourceIndex), [params.count, PARAM_COLUMNS]);
    const attrs: FusedAttrs = { storedSize, viewSize, stages };
    return tf
      .engine()
      .runKernel(
        FUSED_AUGMENT_KERNEL,
        { images: packed, params: rows },
        attrs as unknown as tf.NamedAttrMap,
      ) as tf.Tensor4D;
  });
}
