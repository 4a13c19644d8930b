import { NORMALIZE_MEAN, NORMALIZE_STD } from '../../protocol/config';
import { effectiveBlurKernel, gaussianTaps, JITTER_OPS, type ViewParams } from './params';
import { axisTaps, reflectIndex } from './sampling';

/**
 * Plain TypeScript reference of the whole SimCLR augmentation, one view at a time, written for
 * clarity rather than speed. It follows torchvision.transforms.functional on float tensors exactly
 * (resized_crop + hflip, adjust_brightness/contrast/saturation/hue, rgb_to_grayscale, gaussian_blur,
 * normalize) with the sampling convention of sampling.ts. The WGSL kernel and the tf-ops path are
 * tested against it.
 *
 * A view is a Float32Array [s, s, 3] (row-major, RGB interleaved), pixels in [0, 1] until normalized.
 */

/** ITU-R 601-2 luma with torchvision's rounding of the red weight. */
export const LUMA_WEIGHTS = [0.2989, 0.587, 0.114] as const;

export function luma(r: number, g: number, b: number): number {
  return LUMA_WEIGHTS[0] * r + LUMA_WEIGHTS[1] * g + LUMA_WEIGHTS[2] * b;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** Crop [top, left, height, width] of a stored S x S x 3 uint8 image, bilinear-resized to s x s, optionally flipped. */
export function referenceResizedCrop(
  image: Uint8Array,
  storedSize: number,
  crop: ArrayLike<number>,
  flip: boolean,
  viewSize: number,
): Float32Array {
  const [top, left, height, width] = [crop[0]!, crop[1]!, crop[2]!, crop[3]!];
  const rows = axisTaps(top, height, viewSize);
  const cols = axisTaps(left, width, viewSize, flip);
  const out = new Float32Array(viewSize * viewSize * 3);
  const px = (y: number, x: number, c: number) => image[(y * storedSize + x) * 3 + c]! / 255;
  for (let i = 0; i < viewSize; i++) {
    const y0 = rows.i0[i]!;
    const y1 = rows.i1[i]!;
    const wy = rows.weight[i]!;
    for (let j = 0; j < viewSize; j++) {
      const x0 = cols.i0[j]!;
      const x1 = cols.i1[j]!;
      const wx = cols.weight[j]!;
      for (let c = 0; c < 3; c++) {
        const topRow = px(y0, x0, c) * (1 - wx) + px(y0, x1, c) * wx;
        const bottomRow = px(y1, x0, c) * (1 - wx) + px(y1, x1, c) * wx;
        out[(i * viewSize + j) * 3 + c] = topRow * (1 - wy) + bottomRow * wy;
      }
    }
  }
  return out;
}

/** torchvision _rgb2hsv for one pixel: h, s, v in [0, 1]. */
export function rgbToHsvPixel(r: number, g: number, b: number): [number, number, number] {
  const maxc = Math.max(r, g, b);
  const minc = Math.min(r, g, b);
  const flat = maxc === minc;
  const chroma = maxc - minc;
  const s = chroma / (flat ? 1 : maxc);
  const divisor = flat ? 1 : chroma;
  const rc = (maxc - r) / divisor;
  const gc = (maxc - g) / divisor;
  const bc = (maxc - b) / divisor;
  let h: number;
  if (maxc === r) h = bc - gc;
  else if (maxc === g) h = 2 + rc - bc;
  else h = 4 + gc - rc;
  const h6 = h / 6 + 1;
  return [h6 - Math.floor(h6), s, maxc];
}

/** torchvision _hsv2rgb for one pixel. */
export function hsvToRgbPixel(h: number, s: number, v: number): [number, number, number] {
  const h6 = h * 6;
  const sector = Math.floor(h6);
  const f = h6 - sector;
  const i = ((sector % 6) + 6) % 6;
  const p = clamp01(v * (1 - s));
  const q = clamp01(v * (1 - s * f));
  const t = clamp01(v * (1 - s * (1 - f)));
  const table: [number, number, number][] = [
    [v, t, p],
    [q, v, p],
    [p, v, t],
    [p, q, v],
    [t, p, v],
    [v, p, q],
  ];
  return table[i]!;
}

function meanLuma(view: Float32Array): number {
  let total = 0;
  for (let p = 0; p < view.length; p += 3) total += luma(view[p]!, view[p + 1]!, view[p + 2]!);
  return total / (view.length / 3);
}

/** Applies one colour-jitter op in place (torchvision adjust_* on a float image). */
export function referenceJitterOp(view: Float32Array, op: (typeof JITTER_OPS)[number], factor: number): void {
  const mean = op === 'contrast' ? meanLuma(view) : 0;
  for (let p = 0; p < view.length; p += 3) {
    const r = view[p]!;
    const g = view[p + 1]!;
    const b = view[p + 2]!;
    let out: [number, number, number];
    if (op === 'brightness') out = [r * factor, g * factor, b * factor];
    else if (op === 'contrast' || op === 'saturation') {
      const other = op === 'contrast' ? mean : luma(r, g, b);
      out = [factor * r + (1 - factor) * other, factor * g + (1 - factor) * other, factor * b + (1 - factor) * other];
    } else {
      const [h, s, v] = rgbToHsvPixel(r, g, b);
      const shifted = h + factor;
      out = hsvToRgbPixel(shifted - Math.floor(shifted), s, v);
    }
    const clampOut = op !== 'hue';
    for (let c = 0; c < 3; c++) view[p + c] = clampOut ? clamp01(out[c]!) : out[c]!;
  }
}

/** rgb_to_grayscale with 3 output channels, in place. */
export function referenceGrayscale(view: Float32Array): void {
  for (let p = 0; p < view.length; p += 3) {
    const y = luma(view[p]!, view[p + 1]!, view[p + 2]!);
    view[p] = y;
    view[p + 1] = y;
    view[p + 2] = y;
  }
}

/** gaussian_blur with a k x k separable kernel and reflect padding; returns a new view. */
export function referenceBlur(view: Float32Array, viewSize: number, sigma: number): Float32Array {
  const k = effectiveBlurKernel(viewSize);
  if (sigma <= 0 || k < 3) return view;
  const taps = gaussianTaps(Float32Array.of(sigma), k);
  const half = (k - 1) / 2;
  const out = new Float32Array(view.length);
  for (let i = 0; i < viewSize; i++) {
    for (let j = 0; j < viewSize; j++) {
      for (let c = 0; c < 3; c++) {
        let total = 0;
        for (let dy = 0; dy < k; dy++) {
          const y = reflectIndex(i + dy - half, viewSize);
          for (let dx = 0; dx < k; dx++) {
            const x = reflectIndex(j + dx - half, viewSize);
            total += taps[dy]! * taps[dx]! * view[(y * viewSize + x) * 3 + c]!;
          }
        }
        out[(i * viewSize + j) * 3 + c] = total;
      }
    }
  }
  return out;
}

export function referenceNormalize(view: Float32Array): void {
  for (let p = 0; p < view.length; p++) view[p] = (view[p]! - NORMALIZE_MEAN[p % 3]!) / NORMALIZE_STD[p % 3]!;
}

/** Which stages to run; the kernel tests switch stages off to compare op by op. */
export interface ReferenceStages {
  jitter: boolean;
  grayscale: boolean;
  blur: boolean;
  normalize: boolean;
}

const ALL_STAGES: ReferenceStages = { jitter: true, grayscale: true, blur: true, normalize: true };

/** One view v of `params`, cut from `image` (S x S x 3 bytes). */
export function referenceView(
  image: Uint8Array,
  storedSize: number,
  params: ViewParams,
  v: number,
  viewSize: number,
  stages: ReferenceStages = ALL_STAGES,
): Float32Array {
  let view = referenceResizedCrop(
    image,
    storedSize,
    params.crops.subarray(v * 4, v * 4 + 4),
    params.flip[v]! > 0,
    viewSize,
  );
  if (stages.jitter) {
    const factors = {
      brightness: params.brightness[v]!,
      contrast: params.contrast[v]!,
      saturation: params.saturation[v]!,
      hue: params.hue[v]!,
    };
    for (let slot = 0; slot < 4; slot++) {
      const op = JITTER_OPS[params.jitterOrder[v * 4 + slot]!]!;
      referenceJitterOp(view, op, factors[op]);
    }
  }
  if (stages.grayscale && params.grayscale[v]! > 0) referenceGrayscale(view);
  if (stages.blur) view = referenceBlur(view, viewSize, params.blurSigma[v]!);
  if (stages.normalize) referenceNormalize(view);
  return view;
}

/**
 * All views of a batch: view v is cut from images[sourceIndex[v]].
 * @returns [V, s, s, 3] row-major
 */
export function referenceViews(
  images: readonly Uint8Array[],
  storedSize: number,
  sourceIndex: ArrayLike<number>,
  params: ViewParams,
  viewSize: number,
  stages: ReferenceStages = ALL_STAGES,
): Float32Array {
  const viewLength = viewSize * viewSize * 3;
  const out = new Float32Array(params.count * viewLength);
  for (let v = 0; v < params.count; v++) {
    const image = images[sourceIndex[v]!];
    if (!image) throw new RangeError(`view ${v} refers to image ${sourceIndex[v]}, which is not in the batch`);
    out.set(referenceView(image, storedSize, params, v, viewSize, stages), v * viewLength);
  }
  return out;
}
