/** Plain-loop references for the convolution gradient kernels (NHWC, zero padding, no dilation). */

export interface ConvGeometry {
  /** x [N, H, W, Cin]. */
  xShape: readonly [number, number, number, number];
  /** Filter [KH, KW, Cin, Cout]. */
  filterShape: readonly [number, number, number, number];
  /** dy [N, OH, OW, Cout]. */
  dyShape: readonly [number, number, number, number];
  strides: readonly [number, number];
  padTop: number;
  padLeft: number;
}

/** dW[kh, kw, ci, co] = sum over n, oh, ow of x[n, oh*s + kh - padTop, ow*s + kw - padLeft, ci] * dy[n, oh, ow, co]. */
export function conv2dFilterGradReference(x: Float32Array, dy: Float32Array, g: ConvGeometry): Float32Array {
  const [batch, h, w, cin] = g.xShape;
  const [kh, kw, , cout] = g.filterShape;
  const [, oh, ow] = g.dyShape;
  const [sh, sw] = g.strides;
  const dw = new Float32Array(kh * kw * cin * cout);
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      for (let n = 0; n < batch; n++) {
        for (let y = 0; y < oh; y++) {
          const iy = y * sh + a - g.padTop;
          if (iy < 0 || iy >= h) continue;
          for (let z = 0; z < ow; z++) {
            const ix = z * sw + b - g.padLeft;
            if (ix < 0 || ix >= w) continue;
            const xBase = ((n * h + iy) * w + ix) * cin;
            const dyBase = ((n * oh + y) * ow + z) * cout;
            for (let ci = 0; ci < cin; ci++) {
              const xv = x[xBase + ci]!;
              const out = ((a * kw + b) * cin + ci) * cout;
              for (let co = 0; co < cout; co++) dw[out + co]! += xv * dy[dyBase + co]!;
            }
          }
        }
      }
    }
  }
  return dw;
}

/** dx[n, ih, iw, ci] = sum over taps reaching (ih, iw) of dy[n, oh, ow, co] * W[kh, kw, ci, co]. */
export function conv2dInputGradReference(dy: Float32Array, filter: Float32Array, g: ConvGeometry): Float32Array {
  const [batch, h, w, cin] = g.xShape;
  const [kh, kw, , cout] = g.filterShape;
  const [, oh, ow] = g.dyShape;
  const [sh, sw] = g.strides;
  const dx = new Float32Array(batch * h * w * cin);
  for (let n = 0; n < batch; n++) {
    for (let y = 0; y < oh; y++) {
      for (let z = 0; z < ow; z++) {
        const dyBase = ((n * oh + y) * ow + z) * cout;
        for (let a = 0; a < kh; a++) {
          const iy = y * sh + a - g.padTop;
          if (iy < 0 || iy >= h) continue;
          for (let b = 0; b < kw; b++) {
            const ix = z * sw + b - g.padLeft;
            if (ix < 0 || ix >= w) continue;
            const xBase = ((n * h + iy) * w + ix) * cin;
            for (let ci = 0; ci < cin; ci++) {
              const wBase = ((a * kw + b) * cin + ci) * cout;
              let s = 0;
              for (let co = 0; co < cout; co++) s += dy[dyBase + co]! * filter[wBase + co]!;
              dx[xBase + ci]! += s;
            }
          }
        }
      }
    }
  }
  return dx;
}
