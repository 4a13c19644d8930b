// AssemblyScript, compiled to WebAssembly by ../compile.mjs (not TypeScript: tsc and biome skip this folder).
// Pointers are byte offsets into tfjs-backend-wasm's heap, which the module imports as its memory; the module
// has no data, globals or allocator of its own, so it never writes anywhere it is not pointed to.


@inline function ceilDiv(a: i32, b: i32): i32 {
  return a >= 0 ? (a + b - 1) / b : -((-a) / b);
}
@inline function floorDiv(a: i32, b: i32): i32 {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/** Bytes of x and dy per chunk of images: half of a 1 MiB L2, leaving room for the gradient. */
const L2_CHUNK_BYTES: i32 = 512 * 1024;

/**
 * Adds to out [KH, KW, Cin, Cout] the filter gradient of images n0 .. n1-1 (NHWC, float32):
 * dW[ky, kx, ci, co] += sum over n, oy, ox of x[n, oy*sh + ky - padT, ox*sw + kx - padL, ci] * dy[n, oy, ox, co]
 * (taps outside x are zero padding). Tiles of 2 input channels x 16 output channels live in 8 v128 registers
 * while the sum runs over every position; the images are taken in chunks that fit in L2, so the tiles after
 * the first read x and dy from cache. Cout must be a multiple of 4.
 */
export function filterGrad(
  n0: i32, n1: i32, x: usize, dy: usize, out: usize,
  h: i32, w: i32, cin: i32, oh: i32, ow: i32, cout: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, padT: i32, padL: i32,
): void {
  const xImage = h * w * cin;
  const dyImage = oh * ow * cout;
  let chunk = L2_CHUNK_BYTES / ((xImage + dyImage) << 2);
  if (chunk < 1) chunk = 1;
  const xStep = <usize>(sw * cin) << 2;
  const dyStep = <usize>cout << 2;
  for (let c0 = n0; c0 < n1; c0 += chunk) {
    const c1 = min(c0 + chunk, n1);
    for (let ky = 0; ky < kh; ky++) {
      for (let kx = 0; kx < kw; kx++) {
        const owLo = max(0, ceilDiv(padL - kx, sw));
        const owHi = min(ow - 1, floorDiv(w - 1 + padL - kx, sw));
        if (owLo > owHi) continue;
        const count = owHi - owLo + 1;
        const tapOut = out + (<usize>((ky * kw + kx) * cin * cout) << 2);
        let ci = 0;
        for (; ci + 2 <= cin; ci += 2) {
          let co = 0;
          for (; co + 16 <= cout; co += 16) {
            let a00 = f32x4.splat(0), a01 = f32x4.splat(0), a02 = f32x4.splat(0), a03 = f32x4.splat(0);
            let a10 = f32x4.splat(0), a11 = f32x4.splat(0), a12 = f32x4.splat(0), a13 = f32x4.splat(0);
            for (let n = c0; n < c1; n++) {
              for (let oy = 0; oy < oh; oy++) {
                const iy = oy * sh + ky - padT;
                if (iy < 0 || iy >= h) continue;
                let xp = x + (<usize>(((n * h + iy) * w + owLo * sw + kx - padL) * cin + ci) << 2);
                let dp = dy + (<usize>(((n * oh + oy) * ow + owLo) * cout + co) << 2);
                for (let j = 0; j < count; j++) {
                  const x0 = v128.load32_splat(xp);
                  const x1 = v128.load32_splat(xp, 4);
                  const d0 = v128.load(dp);
                  const d1 = v128.load(dp, 16);
                  const d2 = v128.load(dp, 32);
                  const d3 = v128.load(dp, 48);
                  a00 = f32x4.add(a00, f32x4.mul(x0, d0));
                  a01 = f32x4.add(a01, f32x4.mul(x0, d1));
                  a02 = f32x4.add(a02, f32x4.mul(x0, d2));
                  a03 = f32x4.add(a03, f32x4.mul(x0, d3));
                  a10 = f32x4.add(a10, f32x4.mul(x1, d0));
                  a11 = f32x4.add(a11, f32x4.mul(x1, d1));
                  a12 = f32x4.add(a12, f32x4.mul(x1, d2));
                  a13 = f32x4.add(a13, f32x4.mul(x1, d3));
                  xp += xStep;
                  dp += dyStep;
                }
              }
            }
            const o0 = tapOut + (<usize>(ci * cout + co) << 2);
            const o1 = o0 + (<usize>cout << 2);
            v128.store(o0, f32x4.add(v128.load(o0), a00));
            v128.store(o0, f32x4.add(v128.load(o0, 16), a01), 16);
            v128.store(o0, f32x4.add(v128.load(o0, 32), a02), 32);
            v128.store(o0, f32x4.add(v128.load(o0, 48), a03), 48);
            v128.store(o1, f32x4.add(v128.load(o1), a10));
            v128.store(o1, f32x4.add(v128.load(o1, 16), a11), 16);
            v128.store(o1, f32x4.add(v128.load(o1, 32), a12), 32);
            v128.store(o1, f32x4.add(v128.load(o1, 48), a13), 48);
          }
          for (; co + 4 <= cout; co += 4) {
            let a0 = f32x4.splat(0), a1 = f32x4.splat(0);
            for (let n = c0; n < c1; n++) {
              for (let oy = 0; oy < oh; oy++) {
                const iy = oy * sh + ky - padT;
                if (iy < 0 || iy >= h) continue;
                let xp = x + (<usize>(((n * h + iy) * w + owLo * sw + kx - padL) * cin + ci) << 2);
                let dp = dy + (<usize>(((n * oh + oy) * ow + owLo) * cout + co) << 2);
                for (let j = 0; j < count; j++) {
                  const d0 = v128.load(dp);
                  a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(xp), d0));
                  a1 = f32x4.add(a1, f32x4.mul(v128.load32_splat(xp, 4), d0));
                  xp += xStep;
                  dp += dyStep;
                }
              }
            }
            const o0 = tapOut + (<usize>(ci * cout + co) << 2);
            const o1 = o0 + (<usize>cout << 2);
            v128.store(o0, f32x4.add(v128.load(o0), a0));
            v128.store(o1, f32x4.add(v128.load(o1), a1));
          }
        }
        for (; ci < cin; ci++) {
          for (let co = 0; co + 4 <= cout; co += 4) {
            let a0 = f32x4.splat(0);
            for (let n = c0; n < c1; n++) {
              for (let oy = 0; oy < oh; oy++) {
                const iy = oy * sh + ky - padT;
                if (iy < 0 || iy >= h) continue;
                let xp = x + (<usize>(((n * h + iy) * w + owLo * sw + kx - padL) * cin + ci) << 2);
                let dp = dy + (<usize>(((n * oh + oy) * ow + owLo) * cout + co) << 2);
                for (let j = 0; j < count; j++) {
                  a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(xp), v128.load(dp)));
                  xp += xStep;
                  dp += dyStep;
                }
              }
            }
            const o0 = tapOut + (<usize>(ci * cout + co) << 2);
            v128.store(o0, f32x4.add(v128.load(o0), a0));
          }
        }
      }
    }
  }
}
