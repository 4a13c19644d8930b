import * as tf from '@tensorflow/tfjs';
import { NORMALIZE_MEAN, NORMALIZE_STD } from '../../protocol/config';
import { canJitterInWasm, colorJitterInWasm } from '../kernels/wasm-simd/color-jitter-kernel';
import { adjustBrightness, adjustContrast, adjustHue, adjustSaturation, grayscale } from './color-ops';
import { effectiveBlurKernel, gaussianTaps, JITTER_OPS, type JitterOp, type ViewParams } from './params';
import { axisTaps } from './sampling';

const APPLY: Record<JitterOp, (x: tf.Tensor4D, f: tf.Tensor4D) => tf.Tensor4D> = {
  brightness: adjustBrightness,
  contrast: adjustContrast,
  saturation: adjustSaturation,
  hue: adjustHue,
};
const IDENTITY: Record<JitterOp, number> = { brightness: 1, contrast: 1, saturation: 1, hue: 0 };

/**
 * The SimCLR augmentation of a batch, on the GPU with tf ops: random resized crop + flip (bilinear
 * with the convention of sampling.ts, as two batched gathers), colour jitter in a per-view random order,
 * random grayscale, Gaussian blur, then normalization. Only the small parameter arrays are uploaded;
 * pixels never leave the GPU. The non-WebGPU backends train with this; on WebGPU the fused kernel
 * (webgpu/fused-augment.ts) computes the same views. Both are tested against reference.ts.
 *
 * @param images [B, S, S, 3] float32 in [0, 1]
 * @param sourceIndex [V] which image each view is cut from
 * @returns [V, viewSize, viewSize, 3] normalized views
 */
export function augmentViews(
  images: tf.Tensor4D,
  sourceIndex: Int32Array,
  params: ViewParams,
  viewSize: number,
): tf.Tensor4D {
  return tf.tidy(() => {
    let x = resizedCrop(images, sourceIndex, params, viewSize);
    if (canJitterInWasm()) x = colorJitterAndGrayInWasm(x, params);
    else {
      x = colorJitter(x, params);
      x = tf.add(x, tf.mul(perView(params.grayscale), tf.sub(grayscale(x), x)));
    }
    x = gaussianBlur(x, params.blurSigma);
    return normalize(x);
  });
}

/**
 * Bilinear resized crop + flip of every view: gather each view's source rows (two taps), blend,
 * then its source columns (two taps), blend. Taps come from sampling.ts, shared with the reference.
 */
function resizedCrop(images: tf.Tensor4D, sourceIndex: Int32Array, params: ViewParams, viewSize: number): tf.Tensor4D {
  const views = params.count;
  const rows0 = new Int32Array(views * viewSize);
  const rows1 = new Int32Array(views * viewSize);
  const rowWeight = new Float32Array(views * viewSize);
  const cols0 = new Int32Array(views * viewSize);
  const cols1 = new Int32Array(views * viewSize);
  const colWeight = new Float32Array(views * viewSize);
  for (let v = 0; v < views; v++) {
    const [top, left, height, width] = params.crops.subarray(v * 4, v * 4 + 4);
    const rows = axisTaps(top!, height!, viewSize);
    const cols = axisTaps(left!, width!, viewSize, params.flip[v]! > 0);
    rows0.set(rows.i0, v * viewSize);
    rows1.set(rows.i1, v * viewSize);
    rowWeight.set(rows.weight, v * viewSize);
    cols0.set(cols.i0, v * viewSize);
    cols1.set(cols.i1, v * viewSize);
    colWeight.set(cols.weight, v * viewSize);
  }
  // Plain axis-0 gathers on flattened tensors: tfjs-backend-wasm 4.22's GatherV2 with batchDims returns
  // wrong values, and reads out of bounds at training sizes.
  const [batch, side] = images.shape;
  const lerp = (a: tf.Tensor, b: tf.Tensor, w: tf.Tensor) => tf.add(a, tf.mul(tf.sub(b, a), w));
  // Rows: [B*S, S, 3] indexed by (source image, source row) -> [V, s, S, 3]
  const imageRows = tf.reshape(images, [batch * side, side, 3]);
  const pickRows = (taps: Int32Array) => {
    const index = Int32Array.from(taps, (t, i) => sourceIndex[Math.floor(i / viewSize)]! * side + t);
    return tf.reshape(tf.gather(imageRows, tf.tensor1d(index, 'int32')), [views, viewSize, side, 3]);
  };
  const byRow = lerp(pickRows(rows0), pickRows(rows1), tf.tensor4d(rowWeight, [views, viewSize, 1, 1]));
  // Columns: [V*S, s, 3] (column-major per view) indexed by (view, source column) -> [V, s(col), s(row), 3]
  const viewColumns = tf.reshape(tf.transpose(byRow, [0, 2, 1, 3]), [views * side, viewSize, 3]);
  const pickColumns = (taps: Int32Array) => {
    const index = Int32Array.from(taps, (t, i) => Math.floor(i / viewSize) * side + t);
    return tf.reshape(tf.gather(viewColumns, tf.tensor1d(index, 'int32')), [views, viewSize, viewSize, 3]);
  };
  const byColumn = lerp(pickColumns(cols0), pickColumns(cols1), tf.tensor4d(colWeight, [views, viewSize, 1, 1]));
  return tf.transpose(byColumn, [0, 2, 1, 3]) as tf.Tensor4D;
}

/** A per-view value as a [V, 1, 1, 1] tensor that broadcasts over pixels and channels. */
function perView(values: Float32Array): tf.Tensor4D {
  return tf.tensor4d(values, [values.length, 1, 1, 1]);
}

/**
 * Each view applies its four ops in its own order: at slot k every op runs with the view's factor
 * where that view does the op k-th and the identity factor elsewhere. An op no view needs at a slot is skipped.
 */
function colorJitter(x: tf.Tensor4D, params: ViewParams): tf.Tensor4D {
  const factors: Record<JitterOp, Float32Array> = {
    brightness: params.brightness,
    contrast: params.contrast,
    saturation: params.saturation,
    hue: params.hue,
  };
  let y = x;
  for (let slot = 0; slot < JITTER_OPS.length; slot++) {
    JITTER_OPS.forEach((op, opIndex) => {
      const slotFactors = new Float32Array(params.count).fill(IDENTITY[op]);
      let needed = false;
      for (let v = 0; v < params.count; v++) {
        if (params.jitterOrder[v * 4 + slot] === opIndex && factors[op][v] !== IDENTITY[op]) {
          slotFactors[v] = factors[op][v]!;
          needed = true;
        }
      }
      if (needed) y = APPLY[op](y, perView(slotFactors));
    });
  }
  return y;
}

/** colorJitter and the random grayscale in one pass of our wasm kernel (kernels/wasm-simd/color-jitter-kernel.ts). */
function colorJitterAndGrayInWasm(x: tf.Tensor4D, params: ViewParams): tf.Tensor4D {
  const factors = new Float32Array(params.count * 4);
  for (let v = 0; v < params.count; v++)
    factors.set([params.brightness[v]!, params.contrast[v]!, params.saturation[v]!, params.hue[v]!], v * 4);
  return colorJitterInWasm(
    x,
    tf.tensor2d(factors, [params.count, 4]),
    tf.tensor2d(params.jitterOrder, [params.count, 4], 'int32'),
    tf.tensor1d(params.grayscale),
  );
}

/**
 * Separable Gaussian blur with a different kernel per view: the views are laid side by side as
 * channels of one image so a single depthwise convolution per axis applies every view's own taps.
 * Reflect padding, as torchvision's gaussian_blur.
 */
function gaussianBlur(x: tf.Tensor4D, sigma: Float32Array): tf.Tensor4D {
  if (!sigma.some((s) => s > 0)) return x;
  const [views, height, width] = x.shape;
  const k = effectiveBlurKernel(Math.min(height, width));
  if (k < 3) return x;
  const half = (k - 1) / 2;
  const taps = tf.tensor2d(gaussianTaps(sigma, k), [views, k]);
  // [V, k] -> per channel of the stacked image (view-major, 3 channels each) -> [k, 3V]
  const channelTaps = tf.transpose(tf.reshape(tf.tile(tf.expandDims(taps, 1), [1, 3, 1]), [views * 3, k]));
  const stacked = tf.reshape(tf.transpose(x, [1, 2, 0, 3]), [1, height, width, views * 3]);
  const padded = tf.mirrorPad(
    stacked,
    [
      [0, 0],
      [half, half],
      [half, half],
      [0, 0],
    ],
    'reflect',
  );
  const vertical = tf.depthwiseConv2d(padded as tf.Tensor4D, tf.reshape(channelTaps, [k, 1, views * 3, 1]), 1, 'valid');
  const blurred = tf.depthwiseConv2d(vertical, tf.reshape(channelTaps, [1, k, views * 3, 1]), 1, 'valid');
  return tf.transpose(tf.reshape(blurred, [height, width, views, 3]), [2, 0, 1, 3]);
}

function normalize(x: tf.Tensor4D): tf.Tensor4D {
  return tf.div(tf.sub(x, tf.tensor1d([...NORMALIZE_MEAN])), tf.tensor1d([...NORMALIZE_STD]));
}

/** Same normalization for inference inputs (pixels in [0, 1]). */
export function normalizeImages(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => normalize(x));
}
