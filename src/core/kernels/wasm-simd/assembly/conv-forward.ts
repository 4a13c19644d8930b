// AssemblyScript (see conv-filter-grad.ts for how it is built and what the pointers are).

/**
 * y[n, oy, ox, co] = sum over ky, kx, ci of x[n, oy*sh + ky - padT, ox*sw + kx - padL, ci] * w[ky, kx, ci, co]
 * for images n0 .. n1-1 (NHWC, w [KH, KW, Cin, Cout], float32; taps outside x are zero padding). Writes every
 * element of those images' y. Two neighbouring output pixels x 16 output channels are 8 v128 accumulators; for
 * a pixel whose taps all lie inside its input row, the taps of one kernel row are one run of KW*Cin floats in
 * x and KW*Cin rows of w. Pixels at the left and right edges go one at a time, skipping the padding taps.
 * Cout must be a multiple of 4.
 */
export function convForward(
  n0: i32, n1: i32, x: usize, w: usize, y: usize,
  h: i32, wd: i32, cin: i32, oh: i32, ow: i32, cout: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, padT: i32, padL: i32,
): void {
  const run = kw * cin;
  const pixelStep = <usize>(sw * cin) << 2;
  const wRow = <usize>cout << 2;
  // Output columns whose taps all lie inside x: ox*sw - padL >= 0 and ox*sw - padL + kw <= wd.
  let inLo = padL > 0 ? (padL + sw - 1) / sw : 0;
  let inHi = wd - kw + padL >= 0 ? (wd - kw + padL) / sw : -1;
  if (inHi > ow - 1) inHi = ow - 1;
  if (inLo > inHi + 1) inLo = inHi + 1;
  for (let n = n0; n < n1; n++) {
    for (let oy = 0; oy < oh; oy++) {
      const yRow = y + (<usize>((n * oh + oy) * ow * cout) << 2);
      for (let co = 0; co < cout; co += 4) {
        const wide = co + 16 <= cout;
        // Edge pixels (and every pixel when no interior exists) one at a time.
        for (let ox = 0; ox < ow; ox++) {
          if (ox == inLo) ox = inHi + 1;
          if (ox >= ow) break;
          pixel(x, w, yRow, n, oy, ox, co, wide, h, wd, cin, cout, kh, kw, sh, sw, padT, padL);
        }
        let ox = inLo;
        if (wide) {
          for (; ox + 2 <= inHi + 1; ox += 2) {
            let a00 = f32x4.splat(0), a01 = f32x4.splat(0), a02 = f32x4.splat(0), a03 = f32x4.splat(0);
            let a10 = f32x4.splat(0), a11 = f32x4.splat(0), a12 = f32x4.splat(0), a13 = f32x4.splat(0);
            for (let ky = 0; ky < kh; ky++) {
              const iy = oy * sh + ky - padT;
              if (iy < 0 || iy >= h) continue;
              let xp = x + (<usize>(((n * h + iy) * wd + ox * sw - padL) * cin) << 2);
              let wp = w + (<usize>(ky * run * cout + co) << 2);
              for (let t = 0; t < run; t++) {
                const x0 = v128.load32_splat(xp);
                const x1 = v128.load32_splat(xp + pixelStep);
                const w0 = v128.load(wp);
                const w1 = v128.load(wp, 16);
                const w2 = v128.load(wp, 32);
                const w3 = v128.load(wp, 48);
                a00 = f32x4.add(a00, f32x4.mul(x0, w0));
                a01 = f32x4.add(a01, f32x4.mul(x0, w1));
                a02 = f32x4.add(a02, f32x4.mul(x0, w2));
                a03 = f32x4.add(a03, f32x4.mul(x0, w3));
                a10 = f32x4.add(a10, f32x4.mul(x1, w0));
                a11 = f32x4.add(a11, f32x4.mul(x1, w1));
                a12 = f32x4.add(a12, f32x4.mul(x1, w2));
                a13 = f32x4.add(a13, f32x4.mul(x1, w3));
                xp += 4;
                wp += wRow;
              }
            }
            const o0 = yRow + (<usize>(ox * cout + co) << 2);
            const o1 = o0 + wRow;
            v128.store(o0, a00);
            v128.store(o0, a01, 16);
            v128.store(o0, a02, 32);
            v128.store(o0, a03, 48);
            v128.store(o1, a10);
            v128.store(o1, a11, 16);
            v128.store(o1, a12, 32);
            v128.store(o1, a13, 48);
          }
        }
        // An odd interior pixel left over, or channels narrower than 16.
        for (; ox <= inHi; ox++) pixel(x, w, yRow, n, oy, ox, co, wide, h, wd, cin, cout, kh, kw, sh, sw, padT, padL);
        if (wide) co += 12;
      }
    }
  }
}

/** One output pixel, channels co .. co+15 (wide) or co .. co+3, skipping taps outside x. */
function pixel(
  x: usize, w: usize, yRow: usize, n: i32, oy: i32, ox: i32, co: i32, wide: bool,
  h: i32, wd: i32, cin: i32, cout: i32, kh: i32, kw: i32, sh: i32, sw: i32, padT: i32, padL: i32,
): void {
  const wRow = <usize>cout << 2;
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  for (let ky = 0; ky < kh; ky++) {
    const iy = oy * sh + ky - padT;
    if (iy < 0 || iy >= h) continue;
    for (let kx = 0; kx < kw; kx++) {
      const ix = ox * sw + kx - padL;
      if (ix < 0 || ix >= wd) continue;
      let xp = x + (<usize>(((n * h + iy) * wd + ix) * cin) << 2);
      let wp = w + (<usize>(((ky * kw + kx) * cin) * cout + co) << 2);
      if (wide) {
        for (let ci = 0; ci < cin; ci++) {
          const xv = v128.load32_splat(xp);
          a0 = f32x4.add(a0, f32x4.mul(xv, v128.load(wp)));
          a1 = f32x4.add(a1, f32x4.mul(xv, v128.load(wp, 16)));
          a2 = f32x4.add(a2, f32x4.mul(xv, v128.load(wp, 32)));
          a3 = f32x4.add(a3, f32x4.mul(xv, v128.load(wp, 48)));
          xp += 4;
          wp += wRow;
        }
      } else {
        for (let ci = 0; ci < cin; ci++) {
          a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(xp), v128.load(wp)));
          xp += 4;
          wp += wRow;
        }
      }
    }
  }
  const o = yRow + (<usize>(ox * cout + co) << 2);
  v128.store(o, a0);
  if (wide) {
    v128.store(o, a1, 16);
    v128.store(o, a2, 32);
    v128.store(o, a3, 48);
  }
}
