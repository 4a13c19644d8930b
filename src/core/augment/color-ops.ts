import * as tf from '@tensorflow/tfjs';

/**
 * Colour operations on views x [V, s, s, 3] in [0, 1] with one factor per view (f [V, 1, 1, 1]),
 * following torchvision.transforms.functional (adjust_brightness/contrast/saturation/hue, rgb_to_grayscale).
 */

/** torchvision's rgb_to_grayscale weights (ITU-R 601-2 with its 0.2989). */
const LUMA = [0.2989, 0.587, 0.114] as const;

/** [V, s, s, 3] -> [V, s, s, 1] luma (ITU-R 601-2, as torchvision). */
export function grayscale(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.sum(tf.mul(x, tf.tensor1d([...LUMA])), -1, true) as tf.Tensor4D);
}

function blend(x: tf.Tensor4D, other: tf.Tensor, factor: tf.Tensor4D): tf.Tensor4D {
  return tf.clipByValue(tf.add(tf.mul(x, factor), tf.mul(other, tf.sub(1, factor))), 0, 1) as tf.Tensor4D;
}

export function adjustBrightness(x: tf.Tensor4D, factor: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.clipByValue(tf.mul(x, factor), 0, 1) as tf.Tensor4D);
}

export function adjustContrast(x: tf.Tensor4D, factor: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => blend(x, tf.mean(grayscale(x), [1, 2, 3], true), factor));
}

export function adjustSaturation(x: tf.Tensor4D, factor: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => blend(x, grayscale(x), factor));
}

/** Rotates hue by `shift` turns (in [-0.5, 0.5]) through HSV, as torchvision's adjust_hue. */
export function adjustHue(x: tf.Tensor4D, shift: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [h, s, v] = rgbToHsv(x);
    const shifted = tf.sub(tf.add(h, shift), tf.floor(tf.add(h, shift)));
    return hsvToRgb(shifted as tf.Tensor4D, s, v);
  });
}

/** [V, s, s, 3] -> three [V, s, s, 1] tensors h, s, v in [0, 1]. */
export function rgbToHsv(x: tf.Tensor4D): [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D] {
  return tf.tidy(() => {
    const [r, g, b] = tf.split(x, 3, -1) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
    const maxc = tf.max(x, -1, true);
    const minc = tf.min(x, -1, true);
    const flat = tf.equal(maxc, minc);
    const ones = tf.onesLike(maxc);
    const chroma = tf.sub(maxc, minc);
    const saturation = tf.div(chroma, tf.where(flat, ones, maxc));
    const chromaDivisor = tf.where(flat, ones, chroma);
    const rc = tf.div(tf.sub(maxc, r), chromaDivisor);
    const gc = tf.div(tf.sub(maxc, g), chromaDivisor);
    const bc = tf.div(tf.sub(maxc, b), chromaDivisor);
    const isR = tf.equal(maxc, r);
    const isG = tf.logicalAnd(tf.equal(maxc, g), tf.logicalNot(isR));
    const isB = tf.logicalAnd(tf.logicalNot(tf.equal(maxc, g)), tf.logicalNot(isR));
    const hr = tf.mul(tf.cast(isR, 'float32'), tf.sub(bc, gc));
    const hg = tf.mul(tf.cast(isG, 'float32'), tf.add(2, tf.sub(rc, bc)));
    const hb = tf.mul(tf.cast(isB, 'float32'), tf.add(4, tf.sub(gc, rc)));
    const h6 = tf.add(tf.div(tf.add(tf.add(hr, hg), hb), 6), 1);
    const hue = tf.sub(h6, tf.floor(h6));
    return [hue as tf.Tensor4D, saturation as tf.Tensor4D, maxc as tf.Tensor4D];
  });
}

/** Inverse of rgbToHsv: three [V, s, s, 1] -> [V, s, s, 3]. */
export function hsvToRgb(h: tf.Tensor4D, s: tf.Tensor4D, v: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const h6 = tf.mul(h, 6);
    const sector = tf.floor(h6);
    const f = tf.sub(h6, sector);
    const i = tf.mod(sector, 6);
    const p = tf.clipByValue(tf.mul(v, tf.sub(1, s)), 0, 1);
    const q = tf.clipByValue(tf.mul(v, tf.sub(1, tf.mul(s, f))), 0, 1);
    const t = tf.clipByValue(tf.mul(v, tf.sub(1, tf.mul(s, tf.sub(1, f)))), 0, 1);
    // the sector masks once for the three channels (18 Equal + Cast at [V, s, s, 1] -> 6)
    const inSector = [0, 1, 2, 3, 4, 5].map((k) => tf.cast(tf.equal(i, k), 'float32'));
    const pick = (choices: tf.Tensor[]) =>
      choices.reduce((acc, c, k) => tf.add(acc, tf.mul(inSector[k]!, c)), tf.zerosLike(v));
    const r = pick([v, q, p, p, t, v]);
    const g = pick([t, v, v, q, p, p]);
    const b = pick([p, p, t, v, v, q]);
    return tf.concat([r, g, b], -1) as tf.Tensor4D;
  });
}
