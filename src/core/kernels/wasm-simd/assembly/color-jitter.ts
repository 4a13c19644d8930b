// AssemblyScript (see conv-filter-grad.ts for how it is built and what the pointers are).
// Colour jitter and random grayscale of SimCLR views, per pixel as src/core/augment/reference.ts defines them
// (torchvision's adjust_brightness/contrast/saturation/hue and rgb_to_grayscale on float images).

const LUMA_R: f32 = 0.2989;
const LUMA_G: f32 = 0.587;
const LUMA_B: f32 = 0.114;

@inline function clamp01(x: f32): f32 {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

@inline function luma(r: f32, g: f32, b: f32): f32 {
  return LUMA_R * r + LUMA_G * g + LUMA_B * b;
}

/** One op (0 brightness, 1 contrast, 2 saturation, 3 hue) with `factor` over a view's pixels, in place. */
function jitterOp(view: usize, pixels: i32, op: i32, factor: f32): void {
  let mean: f32 = 0;
  if (op == 1) {
    let total: f64 = 0;
    for (let p = 0; p < pixels; p++) {
      const at = view + (<usize>(p * 3) << 2);
      total += <f64>luma(load<f32>(at), load<f32>(at, 4), load<f32>(at, 8));
    }
    mean = <f32>(total / <f64>pixels);
  }
  for (let p = 0; p < pixels; p++) {
    const at = view + (<usize>(p * 3) << 2);
    const r = load<f32>(at);
    const g = load<f32>(at, 4);
    const b = load<f32>(at, 8);
    if (op == 0) {
      store<f32>(at, clamp01(r * factor));
      store<f32>(at, clamp01(g * factor), 4);
      store<f32>(at, clamp01(b * factor), 8);
    } else if (op == 1 || op == 2) {
      const other = op == 1 ? mean : luma(r, g, b);
      const rest = (<f32>1 - factor) * other;
      store<f32>(at, clamp01(factor * r + rest));
      store<f32>(at, clamp01(factor * g + rest), 4);
      store<f32>(at, clamp01(factor * b + rest), 8);
    } else {
      // rgb -> hsv (torchvision _rgb2hsv), hue shifted, -> rgb (_hsv2rgb)
      const maxc = max(r, max(g, b));
      const minc = min(r, min(g, b));
      const flat = maxc == minc;
      const chroma = maxc - minc;
      const s = chroma / (flat ? <f32>1 : maxc);
      const divisor = flat ? <f32>1 : chroma;
      const rc = (maxc - r) / divisor;
      const gc = (maxc - g) / divisor;
      const bc = (maxc - b) / divisor;
      let h: f32;
      if (maxc == r) h = bc - gc;
      else if (maxc == g) h = <f32>2 + rc - bc;
      else h = <f32>4 + gc - rc;
      const h6 = h / <f32>6 + <f32>1;
      let hue = h6 - Mathf.floor(h6) + factor;
      hue = hue - Mathf.floor(hue);
      const x6 = hue * <f32>6;
      const sector = Mathf.floor(x6);
      const f = x6 - sector;
      let i = <i32>sector % 6;
      if (i < 0) i += 6;
      const v = maxc;
      const pp = clamp01(v * (<f32>1 - s));
      const q = clamp01(v * (<f32>1 - s * f));
      const t = clamp01(v * (<f32>1 - s * (<f32>1 - f)));
      let ro: f32 = v, go: f32 = t, bo: f32 = pp;
      if (i == 1) { ro = q; go = v; bo = pp; }
      else if (i == 2) { ro = pp; go = v; bo = t; }
      else if (i == 3) { ro = pp; go = q; bo = v; }
      else if (i == 4) { ro = t; go = pp; bo = v; }
      else if (i == 5) { ro = v; go = pp; bo = q; }
      store<f32>(at, ro);
      store<f32>(at, go, 4);
      store<f32>(at, bo, 8);
    }
  }
}

/**
 * Views v0 .. v1-1 of x [V, pixels, 3] into out: each view's four jitter ops in its own order
 * (order [V, 4] i32, op indices), with its factors (factors [V, 4]: brightness, contrast, saturation, hue;
 * an identity factor skips the op), then grayscale where gray[v] > 0.
 */
export function colorJitter(
  v0: i32, v1: i32, x: usize, out: usize, pixels: i32, factors: usize, order: usize, gray: usize,
): void {
  const viewBytes = <usize>(pixels * 3) << 2;
  for (let v = v0; v < v1; v++) {
    const view = out + <usize>v * viewBytes;
    memory.copy(view, x + <usize>v * viewBytes, viewBytes);
    for (let slot = 0; slot < 4; slot++) {
      const op = load<i32>(order + (<usize>(v * 4 + slot) << 2));
      const factor = load<f32>(factors + (<usize>(v * 4 + op) << 2));
      if (factor != (op == 3 ? <f32>0 : <f32>1)) jitterOp(view, pixels, op, factor);
    }
    if (load<f32>(gray + (<usize>v << 2)) > 0) {
      for (let p = 0; p < pixels; p++) {
        const at = view + (<usize>(p * 3) << 2);
        const y = luma(load<f32>(at), load<f32>(at, 4), load<f32>(at, 8));
        store<f32>(at, y);
        store<f32>(at, y, 4);
        store<f32>(at, y, 8);
      }
    }
  }
}
