/**
 * WGSL shared by the augmentation programs: unpacking uint8 pixels from the packed int32 data set,
 * the bilinear resized crop + flip of sampling.ts, torchvision's colour ops and the per-view
 * parameter row. Each function mirrors one in ../reference.ts; keep them in step.
 */

/** Columns of the per-view parameter row uploaded each step (float32 [V, PARAM_COLUMNS]). */
export const PARAM_COLUMNS = 16;
export const PARAM = {
  top: 0,
  left: 1,
  height: 2,
  width: 3,
  flip: 4,
  brightness: 5,
  contrast: 6,
  saturation: 7,
  hue: 8,
  /** Four columns: the jitter op applied at slot 0..3 (index into JITTER_OPS). */
  order: 9,
  grayscale: 13,
  blurSigma: 14,
  /** Row of the packed batch the view is cut from. */
  source: 15,
} as const;

/** Stage bits of the `stages` uniform; the kernel tests switch stages off to compare op by op. */
export const STAGE = { jitter: 1, grayscale: 2, blur: 4, normalize: 8, all: 15 } as const;

/** Needs inputs `Images` (int32 [B, words]) and `Params` (float32 [V, 16]) and uniforms storedSize, viewSize. */
export const AUGMENT_WGSL = `
fn param(v : i32, k : i32) -> f32 {
  return Params[v * ${PARAM_COLUMNS} + k];
}

// Byte at byte offset within the packed image b, little-endian within each int32 word, as [0, 1].
fn storedByte(b : i32, offset : i32) -> f32 {
  let word = bitcast<u32>(Images[b * uniforms.imagesShape.y + (offset >> 2u)]);
  return f32((word >> (u32(offset & 3) * 8u)) & 255u) / 255.0;
}

fn storedPixel(b : i32, y : i32, x : i32) -> vec3<f32> {
  let o = (y * uniforms.storedSize + x) * 3;
  return vec3<f32>(storedByte(b, o), storedByte(b, o + 1), storedByte(b, o + 2));
}

// torchvision resize (bilinear, half-pixel centres, no antialias) of the crop, then the flip.
// Returns (first source pixel, second source pixel, weight of the second) along one axis.
fn axisTap(start : f32, side : f32, o : i32) -> vec3<f32> {
  let real = max(0.0, (f32(o) + 0.5) * side / f32(uniforms.viewSize) - 0.5);
  let i0 = min(floor(real), side - 1.0);
  let i1 = select(i0, i0 + 1.0, i0 < side - 1.0);
  return vec3<f32>(start + i0, start + i1, real - i0);
}

fn cropPixel(v : i32, i : i32, j : i32) -> vec3<f32> {
  let b = i32(param(v, ${PARAM.source}));
  let jj = select(j, uniforms.viewSize - 1 - j, param(v, ${PARAM.flip}) > 0.5);
  let ry = axisTap(param(v, ${PARAM.top}), param(v, ${PARAM.height}), i);
  let rx = axisTap(param(v, ${PARAM.left}), param(v, ${PARAM.width}), jj);
  let y0 = i32(ry.x);
  let y1 = i32(ry.y);
  let x0 = i32(rx.x);
  let x1 = i32(rx.y);
  let top = storedPixel(b, y0, x0) * (1.0 - rx.z) + storedPixel(b, y0, x1) * rx.z;
  let bottom = storedPixel(b, y1, x0) * (1.0 - rx.z) + storedPixel(b, y1, x1) * rx.z;
  return top * (1.0 - ry.z) + bottom * ry.z;
}

fn luma(c : vec3<f32>) -> f32 {
  return 0.2989 * c.r + 0.587 * c.g + 0.114 * c.b;
}

// torchvision _rgb2hsv
fn rgbToHsv(c : vec3<f32>) -> vec3<f32> {
  let maxc = max(c.r, max(c.g, c.b));
  let minc = min(c.r, min(c.g, c.b));
  let flat = maxc == minc;
  let chroma = maxc - minc;
  let s = chroma / select(maxc, 1.0, flat);
  let divisor = select(chroma, 1.0, flat);
  let rc = (maxc - c.r) / divisor;
  let gc = (maxc - c.g) / divisor;
  let bc = (maxc - c.b) / divisor;
  var h : f32;
  if (maxc == c.r) {
    h = bc - gc;
  } else if (maxc == c.g) {
    h = 2.0 + rc - bc;
  } else {
    h = 4.0 + gc - rc;
  }
  let h6 = h / 6.0 + 1.0;
  return vec3<f32>(h6 - floor(h6), s, maxc);
}

// torchvision _hsv2rgb
fn hsvToRgb(hsv : vec3<f32>) -> vec3<f32> {
  let h6 = hsv.x * 6.0;
  let sector = floor(h6);
  let f = h6 - sector;
  let i = ((i32(sector) % 6) + 6) % 6;
  let v = hsv.z;
  let p = clamp(v * (1.0 - hsv.y), 0.0, 1.0);
  let q = clamp(v * (1.0 - hsv.y * f), 0.0, 1.0);
  let t = clamp(v * (1.0 - hsv.y * (1.0 - f)), 0.0, 1.0);
  switch i {
    case 0: { return vec3<f32>(v, t, p); }
    case 1: { return vec3<f32>(q, v, p); }
    case 2: { return vec3<f32>(p, v, t); }
    case 3: { return vec3<f32>(p, q, v); }
    case 4: { return vec3<f32>(t, p, v); }
    default: { return vec3<f32>(v, p, q); }
  }
}

// One colour-jitter op (JITTER_OPS order: brightness, contrast, saturation, hue) as torchvision adjust_*.
fn jitterOp(c : vec3<f32>, op : i32, v : i32, contrastMean : f32) -> vec3<f32> {
  switch op {
    case 0: {
      return clamp(c * param(v, ${PARAM.brightness}), vec3<f32>(0.0), vec3<f32>(1.0));
    }
    case 1: {
      let f = param(v, ${PARAM.contrast});
      return clamp(f * c + (1.0 - f) * contrastMean, vec3<f32>(0.0), vec3<f32>(1.0));
    }
    case 2: {
      let f = param(v, ${PARAM.saturation});
      return clamp(f * c + (1.0 - f) * luma(c), vec3<f32>(0.0), vec3<f32>(1.0));
    }
    default: {
      let hsv = rgbToHsv(c);
      let shifted = hsv.x + param(v, ${PARAM.hue});
      return hsvToRgb(vec3<f32>(shifted - floor(shifted), hsv.y, hsv.z));
    }
  }
}

fn jitterOrder(v : i32, slot : i32) -> i32 {
  return i32(param(v, ${PARAM.order} + slot));
}
`;
