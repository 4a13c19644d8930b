// AssemblyScript (see conv-filter-grad.ts for how it is built and what the pointers are).

/**
 * For taps t0 .. t1-1 of w [KH, KW, Cin, Cout]: wT[t', co, ci] = w[t, ci, co], where t' = t, or with flip the
 * tap mirrored in both axes (the filter of a stride-1 input gradient computed as a convolution).
 */
export function transposeFilter(
  t0: i32, t1: i32, w: usize, wT: usize, kh: i32, kw: i32, cin: i32, cout: i32, flip: i32,
): void {
  for (let t = t0; t < t1; t++) {
    const ky = t / kw;
    const kx = t % kw;
    const to = flip != 0 ? (kh - 1 - ky) * kw + (kw - 1 - kx) : t;
    const src = w + (<usize>(t * cin * cout) << 2);
    const dst = wT + (<usize>(to * cin * cout) << 2);
    for (let ci = 0; ci < cin; ci++)
      for (let co = 0; co < cout; co++)
        store<f32>(dst + (<usize>(co * cin + ci) << 2), load<f32>(src + (<usize>(ci * cout + co) << 2)));
  }
}

@inline function isMultiple(a: i32, s: i32): bool {
  return a % s == 0;
}

/**
 * dx[n, iy, ix, ci] = sum over ky, kx, co of dy[n, oy, ox, co] * w[ky, kx, ci, co], where oy*sh = iy + padT - ky
 * and ox*sw = ix + padL - kx are whole and inside dy, for images n0 .. n1-1 (NHWC, float32; wT is the filter
 * as transposeFilter leaves it, [KH, KW, Cout, Cin]). Writes every element of those images' dx. A strided
 * convolution's gradient multiplies no zeros: two pixels ix and ix + sw share their taps and read neighbouring
 * columns of dy, and only the taps whose stride divides the offset are taken (the sub-pixel decomposition).
 * Tiles of those two pixels x 16 input channels are 8 v128 accumulators. Cin must be a multiple of 4.
 */
export function convInputGrad(
  n0: i32, n1: i32, dy: usize, wT: usize, dx: usize,
  h: i32, wd: i32, cin: i32, oh: i32, ow: i32, cout: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, padT: i32, padL: i32,
): void {
  const wRow = <usize>cin << 2;
  const dyPixel = <usize>cout << 2;
  for (let n = n0; n < n1; n++) {
    for (let iy = 0; iy < h; iy++) {
      const dxRow = dx + (<usize>((n * h + iy) * wd * cin) << 2);
      for (let ci = 0; ci < cin; ci += 4) {
        const wide = ci + 16 <= cin;
        for (let px = 0; px < sw; px++) {
          for (let ix = px; ix < wd; ix += 2 * sw) {
            const has1 = ix + sw < wd;
            let a00 = f32x4.splat(0), a01 = f32x4.splat(0), a02 = f32x4.splat(0), a03 = f32x4.splat(0);
            let a10 = f32x4.splat(0), a11 = f32x4.splat(0), a12 = f32x4.splat(0), a13 = f32x4.splat(0);
            for (let ky = 0; ky < kh; ky++) {
              const ty = iy + padT - ky;
              if (ty < 0 || !isMultiple(ty, sh)) continue;
              const oy = ty / sh;
              if (oy >= oh) continue;
              for (let kx = 0; kx < kw; kx++) {
                const tx = ix + padL - kx;
                // tx and tx + sw have the same remainder; a negative tx only rules out the first pixel.
                if (!isMultiple(tx, sw)) continue;
                const ox0 = tx >= 0 ? tx / sw : -((-tx) / sw);
                const v0 = ox0 >= 0 && ox0 < ow;
                const v1 = has1 && ox0 + 1 >= 0 && ox0 + 1 < ow;
                if (!v0 && !v1) continue;
                let wp = wT + (<usize>((ky * kw + kx) * cout * cin + ci) << 2);
                // The dy pixel of whichever of the two pixels is in range first.
                let dp = dy + (<usize>((n * oh + oy) * ow + (v0 ? ox0 : ox0 + 1)) * dyPixel);
                if (v0 && v1) {
                  if (wide) {
                    for (let co = 0; co < cout; co++) {
                      const d0 = v128.load32_splat(dp);
                      const d1 = v128.load32_splat(dp + dyPixel);
                      const w0 = v128.load(wp);
                      const w1 = v128.load(wp, 16);
                      const w2 = v128.load(wp, 32);
                      const w3 = v128.load(wp, 48);
                      a00 = f32x4.add(a00, f32x4.mul(d0, w0));
                      a01 = f32x4.add(a01, f32x4.mul(d0, w1));
                      a02 = f32x4.add(a02, f32x4.mul(d0, w2));
                      a03 = f32x4.add(a03, f32x4.mul(d0, w3));
                      a10 = f32x4.add(a10, f32x4.mul(d1, w0));
                      a11 = f32x4.add(a11, f32x4.mul(d1, w1));
                      a12 = f32x4.add(a12, f32x4.mul(d1, w2));
                      a13 = f32x4.add(a13, f32x4.mul(d1, w3));
                      dp += 4;
                      wp += wRow;
                    }
                  } else {
                    for (let co = 0; co < cout; co++) {
                      const w0 = v128.load(wp);
                      a00 = f32x4.add(a00, f32x4.mul(v128.load32_splat(dp), w0));
                      a10 = f32x4.add(a10, f32x4.mul(v128.load32_splat(dp + dyPixel), w0));
                      dp += 4;
                      wp += wRow;
                    }
                  }
                } else if (wide) {
                  // One pixel in range: its sums go to a0* (first pixel) or a1* (second) after the loop.
                  let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
                  for (let co = 0; co < cout; co++) {
                    const d = v128.load32_splat(dp);
                    s0 = f32x4.add(s0, f32x4.mul(d, v128.load(wp)));
                    s1 = f32x4.add(s1, f32x4.mul(d, v128.load(wp, 16)));
                    s2 = f32x4.add(s2, f32x4.mul(d, v128.load(wp, 32)));
                    s3 = f32x4.add(s3, f32x4.mul(d, v128.load(wp, 48)));
                    dp += 4;
                    wp += wRow;
                  }
                  if (v0) {
                    a00 = f32x4.add(a00, s0);
                    a01 = f32x4.add(a01, s1);
                    a02 = f32x4.add(a02, s2);
                    a03 = f32x4.add(a03, s3);
                  } else {
                    a10 = f32x4.add(a10, s0);
                    a11 = f32x4.add(a11, s1);
                    a12 = f32x4.add(a12, s2);
                    a13 = f32x4.add(a13, s3);
                  }
                } else {
                  let s0 = f32x4.splat(0);
                  for (let co = 0; co < cout; co++) {
                    s0 = f32x4.add(s0, f32x4.mul(v128.load32_splat(dp), v128.load(wp)));
                    dp += 4;
                    wp += wRow;
                  }
                  if (v0) a00 = f32x4.add(a00, s0);
                  else a10 = f32x4.add(a10, s0);
                }
              }
            }
            const o0 = dxRow + (<usize>(ix * cin + ci) << 2);
            const o1 = o0 + (<usize>(sw * cin) << 2);
            v128.store(o0, a00);
            if (has1) v128.store(o1, a10);
            if (wide) {
              v128.store(o0, a01, 16);
              v128.store(o0, a02, 32);
              v128.store(o0, a03, 48);
              if (has1) {
                v128.store(o1, a11, 16);
                v128.store(o1, a12, 32);
                v128.store(o1, a13, 48);
              }
            }
          }
        }
        if (wide) ci += 12;
      }
    }
  }
}
