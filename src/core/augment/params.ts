import type { AugmentConfig } from '../../protocol/config';
import type { Rng } from '../random/rng';

/** Colour-jitter operations, applied in a random order per view as torchvision's ColorJitter does. */
export const JITTER_OPS = ['brightness', 'contrast', 'saturation', 'hue'] as const;
export type JitterOp = (typeof JITTER_OPS)[number];

/**
 * Per-view augmentation parameters for V views, drawn on the CPU from the seeded generator so a run
 * is reproducible and views can be previewed exactly. Identity values mean "not applied":
 * factor 1 for brightness/contrast/saturation, shift 0 for hue, gray 0, blur sigma 0.
 */
export interface ViewParams {
  count: number;
  /**
   * Random resized crops [V, 4] as (top, left, height, width) in whole pixels of the stored image.
   * The crop is resized to the view with the sampling convention in sampling.ts.
   */
  crops: Float32Array;
  /** 1 where the view is flipped horizontally (after the crop, as torchvision's RandomHorizontalFlip). */
  flip: Float32Array;
  brightness: Float32Array;
  contrast: Float32Array;
  saturation: Float32Array;
  hue: Float32Array;
  /** order[v * 4 + k] is the index into JITTER_OPS applied k-th for view v. */
  jitterOrder: Int32Array;
  /** 1 where the view is converted to grayscale. */
  grayscale: Float32Array;
  /** Gaussian blur sigma in pixels of the output view; 0 where no blur. */
  blurSigma: Float32Array;
}

export interface CropBox {
  top: number;
  left: number;
  height: number;
  width: number;
}

/**
 * torchvision RandomResizedCrop.get_params on a size x size image: up to 10 tries at a random area
 * and log-uniform aspect ratio, else a centre crop clamped to the ratio range.
 */
export function drawResizedCrop(rng: Rng, size: number, config: AugmentConfig): CropBox {
  const area = size * size;
  const logRatioMin = Math.log(config.aspectMin);
  const logRatioMax = Math.log(config.aspectMax);
  for (let attempt = 0; attempt < 10; attempt++) {
    const targetArea = area * rng.uniform(config.cropAreaMin, config.cropAreaMax);
    const aspect = Math.exp(rng.uniform(logRatioMin, logRatioMax));
    const width = Math.round(Math.sqrt(targetArea * aspect));
    const height = Math.round(Math.sqrt(targetArea / aspect));
    if (width > 0 && width <= size && height > 0 && height <= size) {
      const top = rng.int(size - height + 1);
      const left = rng.int(size - width + 1);
      return { top, left, height, width };
    }
  }
  // A square image always fits the centre crop: the ratio range contains 1 for every preset.
  const side = size;
  return { top: 0, left: 0, height: side, width: side };
}

/** Random permutation of the four jitter ops (torch.randperm(4)). */
function drawJitterOrder(rng: Rng): Int32Array {
  return rng.permutation(JITTER_OPS.length);
}

/**
 * Draws parameters for `count` views of images stored at `storedSize` px.
 * Order of draws per view is fixed (crop, flip, jitter, grayscale, blur) so that runs replay exactly.
 */
export function drawViewParams(rng: Rng, count: number, storedSize: number, config: AugmentConfig): ViewParams {
  const params: ViewParams = {
    count,
    crops: new Float32Array(count * 4),
    flip: new Float32Array(count),
    brightness: new Float32Array(count).fill(1),
    contrast: new Float32Array(count).fill(1),
    saturation: new Float32Array(count).fill(1),
    hue: new Float32Array(count),
    jitterOrder: new Int32Array(count * 4),
    grayscale: new Float32Array(count),
    blurSigma: new Float32Array(count),
  };
  const s = config.jitterStrength;
  for (let v = 0; v < count; v++) {
    const crop = drawResizedCrop(rng, storedSize, config);
    params.crops.set([crop.top, crop.left, crop.height, crop.width], v * 4);
    params.flip[v] = rng.bernoulli(config.flipP) ? 1 : 0;

    params.jitterOrder.set(drawJitterOrder(rng), v * 4);
    if (rng.bernoulli(config.jitterP)) {
      params.brightness[v] = rng.uniform(Math.max(0, 1 - 0.8 * s), 1 + 0.8 * s);
      params.contrast[v] = rng.uniform(Math.max(0, 1 - 0.8 * s), 1 + 0.8 * s);
      params.saturation[v] = rng.uniform(Math.max(0, 1 - 0.8 * s), 1 + 0.8 * s);
      params.hue[v] = rng.uniform(-0.2 * s, 0.2 * s);
    }
    params.grayscale[v] = rng.bernoulli(config.grayscaleP) ? 1 : 0;
    params.blurSigma[v] = rng.bernoulli(config.blurP) ? rng.uniform(config.blurSigmaMin, config.blurSigmaMax) : 0;
  }
  return params;
}

/** Odd blur kernel side, about 10% of the view side (SimCLR appendix A), at least 3. */
export function blurKernelSize(viewSize: number): number {
  const k = Math.max(3, Math.round(viewSize * 0.1));
  return k % 2 === 1 ? k : k + 1;
}

/** Normalized 1-D Gaussian taps for each view, [V, k]; a delta (no blur) where sigma is 0. */
export function gaussianTaps(blurSigma: Float32Array, kernelSize: number): Float32Array {
  const taps = new Float32Array(blurSigma.length * kernelSize);
  const half = (kernelSize - 1) / 2;
  blurSigma.forEach((sigma, v) => {
    if (sigma <= 0) {
      taps[v * kernelSize + half] = 1;
      return;
    }
    let total = 0;
    for (let i = 0; i < kernelSize; i++) {
      const x = i - half;
      const w = Math.exp(-(x * x) / (2 * sigma * sigma));
      taps[v * kernelSize + i] = w;
      total += w;
    }
    for (let i = 0; i < kernelSize; i++) taps[v * kernelSize + i]! /= total;
  });
  return taps;
}

/**
 * The blur kernel actually applied to a view of `viewSize` px: blurKernelSize, shrunk to the largest
 * odd size reflect padding allows (half <= viewSize - 1). 1 means no blur is possible.
 */
export function effectiveBlurKernel(viewSize: number): number {
  const limit = 2 * Math.floor((viewSize - 1) / 2) + 1;
  const k = Math.min(blurKernelSize(viewSize), limit);
  return k < 3 ? 1 : k;
}

/** The parameters of views `views` (in that order), e.g. both views of a chunk's images. */
export function selectViews(params: ViewParams, views: ArrayLike<number>): ViewParams {
  const pick = <T extends Float32Array | Int32Array>(from: T, per: number): T => {
    const out = new (from.constructor as new (n: number) => T)(views.length * per);
    for (let i = 0; i < views.length; i++) out.set(from.subarray(views[i]! * per, (views[i]! + 1) * per), i * per);
    return out;
  };
  return {
    count: views.length,
    crops: pick(params.crops, 4),
    flip: pick(params.flip, 1),
    brightness: pick(params.brightness, 1),
    contrast: pick(params.contrast, 1),
    saturation: pick(params.saturation, 1),
    hue: pick(params.hue, 1),
    jitterOrder: pick(params.jitterOrder, JITTER_OPS.length),
    grayscale: pick(params.grayscale, 1),
    blurSigma: pick(params.blurSigma, 1),
  };
}
