import type * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../random/rng';
import { convInfo } from './conv-geometry';

/** A convolution the kernel tests run: NHWC x [n, h, w, cin], filter [k[0], k[1], cin, cout]. */
export interface ConvCase {
  n: number;
  h: number;
  w: number;
  cin: number;
  k: [number, number];
  cout: number;
  s: [number, number];
  pad: 'same' | 'valid' | number;
}

export const caseName = (c: ConvCase): string =>
  `x ${c.n}x${c.h}x${c.w}x${c.cin}, ${c.k.join('x')} -> ${c.cout}, stride ${c.s}, pad ${c.pad}`;

export const caseInfo = (c: ConvCase): tf.backend_util.Conv2DInfo =>
  convInfo([c.n, c.h, c.w, c.cin], [...c.k, c.cin, c.cout], c.s, c.pad);

export const randomValues = (rng: Rng, size: number): Float32Array =>
  Float32Array.from({ length: size }, () => rng.next() * 2 - 1);

/**
 * Every (output position, tap) pair of the convolution whose input pixel lies inside x (TensorFlow's padding),
 * with the flat offsets of that x pixel, dy/y pixel and filter tap: the sum every definition below is made of.
 */
export function forEachTap(
  c: ConvCase,
  visit: (xAt: number, yAt: number, tapAt: number) => void,
  info: tf.backend_util.Conv2DInfo = caseInfo(c),
): void {
  const [kh, kw] = c.k;
  const { outHeight: oh, outWidth: ow } = info;
  for (let n = 0; n < c.n; n++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let ky = 0; ky < kh; ky++)
          for (let kx = 0; kx < kw; kx++) {
            const iy = oy * c.s[0] + ky - info.padInfo.top;
            const ix = ox * c.s[1] + kx - info.padInfo.left;
            if (iy < 0 || iy >= c.h || ix < 0 || ix >= c.w) continue;
            visit(((n * c.h + iy) * c.w + ix) * c.cin, ((n * oh + oy) * ow + ox) * c.cout, (ky * kw + kx) * c.cin);
          }
}
