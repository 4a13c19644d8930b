/**
 * The one sampling convention shared by the reference pipeline, the WGSL kernel and the tf-ops path:
 * torchvision's `resized_crop` = crop, then `resize` with bilinear interpolation, half-pixel centres
 * (align_corners=False) and no antialias. This is PyTorch's upsample_bilinear2d:
 *
 *   real = (i + 0.5) * cropSide / outSide - 0.5, clamped below at 0
 *   i0 = floor(real), i1 = i0 + 1 unless i0 is the crop's last pixel, weight of i1 = real - i0
 *
 * Coordinates are inside the crop, so a view never samples outside it (no extrapolation). A flip mirrors
 * the output column: out[i][j] = resized[i][outSide - 1 - j].
 */

export interface AxisTaps {
  /** First source pixel, in stored-image coordinates. */
  i0: Int32Array;
  /** Second source pixel (equal to i0 at the crop's last pixel). */
  i1: Int32Array;
  /** Weight of i1; i0 gets 1 - weight. */
  weight: Float32Array;
}

/** Source taps along one axis for a crop [start, start + cropSide) resized to outSide samples. */
export function axisTaps(start: number, cropSide: number, outSide: number, flip = false): AxisTaps {
  const taps: AxisTaps = {
    i0: new Int32Array(outSide),
    i1: new Int32Array(outSide),
    weight: new Float32Array(outSide),
  };
  const scale = cropSide / outSide;
  for (let o = 0; o < outSide; o++) {
    const j = flip ? outSide - 1 - o : o;
    const real = Math.max(0, (j + 0.5) * scale - 0.5);
    const i0 = Math.min(Math.floor(real), cropSide - 1);
    const i1 = i0 < cropSide - 1 ? i0 + 1 : i0;
    taps.i0[o] = start + i0;
    taps.i1[o] = start + i1;
    taps.weight[o] = real - i0;
  }
  return taps;
}

/** torchvision's reflect padding index (no edge repeat): -1 -> 1, n -> n - 2. */
export function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  let r = i;
  if (r < 0) r = -r;
  if (r >= n) r = 2 * (n - 1) - r;
  return r;
}
