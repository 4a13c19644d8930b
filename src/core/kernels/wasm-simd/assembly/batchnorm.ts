// AssemblyScript (see conv-filter-grad.ts for how it is built and what the pointers are).
// Training BatchNorm (+ residual) + ReLU over activations viewed as [rows, C], the kernels behind the fused op
// of ../../webgpu/batchnorm-relu.ts on wasm (../batchnorm-kernels.ts). Per-channel sums are taken per chunk of
// rows in float32 and combined by the caller in float64; the element-wise passes take per-channel
// coefficients the caller computed. Channels go 4 at a time with a scalar tail.

/**
 * For chunks p0 .. p1-1 of chunkRows rows: part[p, c] = the chunk's mean of x[., c] and
 * part[chunks + p, c] = its sum of squared deviations from that mean (combined by the caller, Chan et al.).
 */
export function bnMomentsPartial(
  p0: i32, p1: i32, x: usize, part: usize, rows: i32, c: i32, chunkRows: i32, chunks: i32,
): void {
  const rowBytes = <usize>c << 2;
  for (let p = p0; p < p1; p++) {
    const r0 = p * chunkRows;
    const r1 = min(r0 + chunkRows, rows);
    const inv: f32 = <f32>1.0 / <f32>(r1 - r0);
    const meanAt = part + (<usize>(p * c) << 2);
    const m2At = part + (<usize>((chunks + p) * c) << 2);
    let ch = 0;
    for (; ch + 4 <= c; ch += 4) {
      let s = f32x4.splat(0);
      let xp = x + (<usize>(r0 * c + ch) << 2);
      for (let r = r0; r < r1; r++) {
        s = f32x4.add(s, v128.load(xp));
        xp += rowBytes;
      }
      const mean = f32x4.mul(s, f32x4.splat(inv));
      let q = f32x4.splat(0);
      xp = x + (<usize>(r0 * c + ch) << 2);
      for (let r = r0; r < r1; r++) {
        const d = f32x4.sub(v128.load(xp), mean);
        q = f32x4.add(q, f32x4.mul(d, d));
        xp += rowBytes;
      }
      v128.store(meanAt + (<usize>ch << 2), mean);
      v128.store(m2At + (<usize>ch << 2), q);
    }
    for (; ch < c; ch++) {
      let s: f32 = 0;
      for (let r = r0; r < r1; r++) s += load<f32>(x + (<usize>(r * c + ch) << 2));
      const mean = s * inv;
      let q: f32 = 0;
      for (let r = r0; r < r1; r++) {
        const d = load<f32>(x + (<usize>(r * c + ch) << 2)) - mean;
        q += d * d;
      }
      store<f32>(meanAt + (<usize>ch << 2), mean);
      store<f32>(m2At + (<usize>ch << 2), q);
    }
  }
}

/**
 * For chunks p0 .. p1-1: part[p, c] = sum of g and part[chunks + p, c] = sum of g * (x - mean) * invStd over the
 * chunk's rows, g = dy * (y > 0) when y is given (y = 0: g = dy). meanInv is [2, C]: mean, then invStd.
 */
export function bnGradPartial(
  p0: i32, p1: i32, dy: usize, y: usize, x: usize, meanInv: usize, part: usize,
  rows: i32, c: i32, chunkRows: i32, chunks: i32,
): void {
  const rowBytes = <usize>c << 2;
  const zero = f32x4.splat(0);
  for (let p = p0; p < p1; p++) {
    const r0 = p * chunkRows;
    const r1 = min(r0 + chunkRows, rows);
    const sumAt = part + (<usize>(p * c) << 2);
    const dotAt = part + (<usize>((chunks + p) * c) << 2);
    let ch = 0;
    for (; ch + 4 <= c; ch += 4) {
      const mean = v128.load(meanInv + (<usize>ch << 2));
      const inv = v128.load(meanInv + (<usize>(c + ch) << 2));
      let a = f32x4.splat(0);
      let b = f32x4.splat(0);
      const at = <usize>(r0 * c + ch) << 2;
      for (let r = r0, o = at; r < r1; r++, o += rowBytes) {
        let g = v128.load(dy + o);
        if (y != 0) g = v128.and(g, f32x4.gt(v128.load(y + o), zero));
        a = f32x4.add(a, g);
        b = f32x4.add(b, f32x4.mul(g, f32x4.sub(v128.load(x + o), mean)));
      }
      v128.store(sumAt + (<usize>ch << 2), a);
      v128.store(dotAt + (<usize>ch << 2), f32x4.mul(b, inv));
    }
    for (; ch < c; ch++) {
      const mean = load<f32>(meanInv + (<usize>ch << 2));
      const inv = load<f32>(meanInv + (<usize>(c + ch) << 2));
      let a: f32 = 0;
      let b: f32 = 0;
      for (let r = r0; r < r1; r++) {
        const o = <usize>(r * c + ch) << 2;
        let g = load<f32>(dy + o);
        if (y != 0 && !(load<f32>(y + o) > 0)) g = 0;
        a += g;
        b += g * (load<f32>(x + o) - mean);
      }
      store<f32>(sumAt + (<usize>ch << 2), a);
      store<f32>(dotAt + (<usize>ch << 2), b * inv);
    }
  }
}

/**
 * Rows r0 .. r1-1 of out = k0 * a + k1 * b + k2 per channel (k [3, C]), then + residual (when not 0), then
 * max(., 0) when relu; a = 0 means the term is absent. Where mask is not 0, a is taken as a * (mask > 0).
 * Forward BatchNorm: a = x, k0 = gamma * invStd, b absent, k2 = beta - mean * k0.
 * Backward: a = dy masked by y, b = x, k0 = gamma * invStd, k1 and k2 from the sums.
 */
export function bnAffine(
  r0: i32, r1: i32, a: usize, mask: usize, b: usize, k: usize, residual: usize, out: usize, c: i32, relu: i32,
): void {
  const zero = f32x4.splat(0);
  for (let r = r0; r < r1; r++) {
    const row = <usize>(r * c) << 2;
    let ch = 0;
    for (; ch + 4 <= c; ch += 4) {
      const o = row + (<usize>ch << 2);
      const kc = k + (<usize>ch << 2);
      let av = v128.load(a + o);
      if (mask != 0) av = v128.and(av, f32x4.gt(v128.load(mask + o), zero));
      let v = f32x4.add(f32x4.mul(av, v128.load(kc)), v128.load(kc + (<usize>(2 * c) << 2)));
      if (b != 0) v = f32x4.add(v, f32x4.mul(v128.load(b + o), v128.load(kc + (<usize>c << 2))));
      if (residual != 0) v = f32x4.add(v, v128.load(residual + o));
      if (relu != 0) v = f32x4.max(v, zero);
      v128.store(out + o, v);
    }
    for (; ch < c; ch++) {
      const o = row + (<usize>ch << 2);
      const kc = k + (<usize>ch << 2);
      let av = load<f32>(a + o);
      if (mask != 0 && !(load<f32>(mask + o) > 0)) av = 0;
      let v = av * load<f32>(kc) + load<f32>(kc + (<usize>(2 * c) << 2));
      if (b != 0) v += load<f32>(b + o) * load<f32>(kc + (<usize>c << 2));
      if (residual != 0) v += load<f32>(residual + o);
      if (relu != 0 && !(v > 0)) v = 0;
      store<f32>(out + o, v);
    }
  }
}
