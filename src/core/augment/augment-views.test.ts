import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AugmentConfig, NORMALIZE_MEAN, NORMALIZE_STD, SIMCLR_IMAGENET_AUGMENT } from '../../protocol/config';
import { defineAllCustomKernels, selectKernels } from '../kernels';
import { WASM_COLOR_JITTER_ID } from '../kernels/wasm-simd/color-jitter-kernel';
import { prepareOwnWasmKernels } from '../kernels/wasm-simd/own-module';
import { Rng } from '../random/rng';
import { augmentViews } from './augment-views';
import { adjustHue, hsvToRgb, rgbToHsv } from './color-ops';
import { blurKernelSize, drawResizedCrop, drawViewParams, gaussianTaps, type ViewParams } from './params';
import { referenceResizedCrop, referenceViews } from './reference';
import { ALL_OPS, type AugmentCase, augmentCase, maxAbsDiff } from './test-fixtures';

function identityParams(count: number, size: number): ViewParams {
  const crops = new Float32Array(count * 4);
  for (let v = 0; v < count; v++) crops.set([0, 0, size, size], v * 4);
  return {
    count,
    crops,
    flip: new Float32Array(count),
    brightness: new Float32Array(count).fill(1),
    contrast: new Float32Array(count).fill(1),
    saturation: new Float32Array(count).fill(1),
    hue: new Float32Array(count),
    jitterOrder: Int32Array.from({ length: count * 4 }, (_, i) => i % 4),
    grayscale: new Float32Array(count),
    blurSigma: new Float32Array(count),
  };
}

function denormalize(x: tf.Tensor4D): tf.Tensor4D {
  return tf.add(tf.mul(x, tf.tensor1d([...NORMALIZE_STD])), tf.tensor1d([...NORMALIZE_MEAN]));
}

describe('augmentation parameters', () => {
  it('random resized crops stay inside the image with area and aspect in range', () => {
    const rng = new Rng(5);
    for (let i = 0; i < 500; i++) {
      const crop = drawResizedCrop(rng, 32, SIMCLR_IMAGENET_AUGMENT);
      expect(crop.top).toBeGreaterThanOrEqual(0);
      expect(crop.left).toBeGreaterThanOrEqual(0);
      expect(crop.top + crop.height).toBeLessThanOrEqual(32);
      expect(crop.left + crop.width).toBeLessThanOrEqual(32);
      expect(crop.width * crop.height).toBeGreaterThan(0);
    }
  });

  it('are reproducible from the seed, and respect probabilities 0 and 1', () => {
    const a = drawViewParams(new Rng(1), 16, 32, SIMCLR_IMAGENET_AUGMENT);
    const b = drawViewParams(new Rng(1), 16, 32, SIMCLR_IMAGENET_AUGMENT);
    expect(a).toEqual(b);
    const never = drawViewParams(new Rng(2), 64, 32, {
      ...SIMCLR_IMAGENET_AUGMENT,
      flipP: 0,
      jitterP: 0,
      grayscaleP: 0,
      blurP: 0,
    });
    expect(Array.from(never.grayscale).every((g) => g === 0)).toBe(true);
    expect(Array.from(never.blurSigma).every((s) => s === 0)).toBe(true);
    expect(Array.from(never.brightness).every((f) => f === 1)).toBe(true);
    expect(Array.from(never.flip).every((f) => f === 0)).toBe(true);
    const always = drawViewParams(new Rng(2), 64, 32, { ...SIMCLR_IMAGENET_AUGMENT, grayscaleP: 1, blurP: 1 });
    expect(Array.from(always.grayscale).every((g) => g === 1)).toBe(true);
    expect(Array.from(always.blurSigma).every((s) => s >= 0.1 && s <= 2)).toBe(true);
  });

  it('Gaussian taps sum to one and blur kernels are odd', () => {
    expect(blurKernelSize(32)).toBe(3);
    expect(blurKernelSize(224) % 2).toBe(1);
    const taps = gaussianTaps(Float32Array.from([0, 1.5]), 5);
    expect(Array.from(taps.slice(0, 5))).toEqual([0, 0, 1, 0, 0]);
    expect(taps.slice(5).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
  });
});

const toPixels = (c: AugmentCase) =>
  tf.tensor4d(Float32Array.from(c.images.flatMap((image) => Array.from(image, (b) => b / 255))), [
    c.images.length,
    c.storedSize,
    c.storedSize,
    3,
  ]);

// max abs error on [0, 1] pixels: normalized values are scaled back by the smallest std
const pixelError = (a: ArrayLike<number>, b: ArrayLike<number>) => maxAbsDiff(a, b) * Math.min(...NORMALIZE_STD);

describe('augmentViews (tf ops) against the TypeScript reference', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each([
    [1, 16, 12],
    [2, 9, 16],
    [3, 13, 7],
  ])('seed %i: %i px images to %i px views agree within 1e-3', (seed, storedSize, viewSize) => {
    const c = augmentCase(seed, 3, storedSize, viewSize, ALL_OPS);
    const pixels = toPixels(c);
    const views = augmentViews(pixels, c.sourceIndex, c.params, viewSize);
    const reference = referenceViews(c.images, storedSize, c.sourceIndex, c.params, viewSize);
    expect(pixelError(views.dataSync(), reference)).toBeLessThanOrEqual(1e-3);
    tf.dispose([pixels, views]);
  });

  // op by op: every other op switched off by its probability (the reference runs them as identities)
  const ONLY: Record<string, AugmentConfig> = {
    'crop + flip': { ...ALL_OPS, jitterP: 0, grayscaleP: 0, blurP: 0 },
    'colour jitter': { ...ALL_OPS, grayscaleP: 0, blurP: 0 },
    grayscale: { ...ALL_OPS, jitterP: 0, grayscaleP: 1, blurP: 0 },
    'Gaussian blur': { ...ALL_OPS, jitterP: 0, grayscaleP: 0 },
  };
  it.each(Object.keys(ONLY))('%s alone agrees with the reference within 1e-3', (name) => {
    const c = augmentCase(7, 3, 14, 12, ONLY[name]);
    const pixels = toPixels(c);
    const views = augmentViews(pixels, c.sourceIndex, c.params, 12);
    const reference = referenceViews(c.images, 14, c.sourceIndex, c.params, 12);
    expect(pixelError(views.dataSync(), reference)).toBeLessThanOrEqual(1e-3);
    tf.dispose([pixels, views]);
  });

  it('a view differs from the reference of another view (the comparison can fail)', () => {
    const c = augmentCase(4, 2, 12, 12, ALL_OPS);
    const pixels = toPixels(c);
    const views = augmentViews(pixels, c.sourceIndex, c.params, 12);
    const swapped = Int32Array.from(c.sourceIndex, (i) => 1 - i);
    const wrong = referenceViews(c.images, 12, swapped, c.params, 12);
    expect(pixelError(views.dataSync(), wrong)).toBeGreaterThan(0.05);
    tf.dispose([pixels, views]);
  });

  it('resized crop follows torchvision (half-pixel centres): 2x2 -> 4x4 upsampling', () => {
    const image = Uint8Array.from([0, 0, 0, 255, 255, 255, 0, 0, 0, 255, 255, 255]);
    const crop = referenceResizedCrop(image, 2, [0, 0, 2, 2], false, 4);
    // torch.nn.functional.interpolate([[0, 1]], size=4, mode='bilinear', align_corners=False) -> 0, .25, .75, 1
    expect(Array.from({ length: 4 }, (_, j) => crop[j * 3]!)).toEqual([0, 0.25, 0.75, 1]);
    const flipped = referenceResizedCrop(image, 2, [0, 0, 2, 2], true, 4);
    expect(Array.from({ length: 4 }, (_, j) => flipped[j * 3]!)).toEqual([1, 0.75, 0.25, 0]);
  });
});

describe('augmentViews (tf ops)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('with identity parameters returns the normalized image', () => {
    const image = tf.randomUniform([1, 8, 8, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
    const views = augmentViews(image, Int32Array.from([0, 0]), identityParams(2, 8), 8);
    const restored = denormalize(views);
    const diff = tf.max(tf.abs(tf.sub(restored, tf.concat([image, image])))).dataSync()[0]!;
    expect(diff).toBeLessThan(1e-5);
  });

  it('flips when x1 > x2, and grayscale makes channels equal', () => {
    const image = tf.randomUniform([1, 6, 6, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const params = identityParams(2, 6);
    params.flip[0] = 1;
    params.grayscale[1] = 1;
    const views = denormalize(augmentViews(image, Int32Array.from([0, 0]), params, 6));
    const [flipped, gray] = tf.split(views, 2, 0) as [tf.Tensor4D, tf.Tensor4D];
    expect(tf.max(tf.abs(tf.sub(flipped, tf.reverse(image, 2)))).dataSync()[0]!).toBeLessThan(1e-5);
    const [r, g, b] = tf.split(gray, 3, -1);
    expect(tf.max(tf.abs(tf.sub(r!, g!))).dataSync()[0]!).toBeLessThan(1e-5);
    expect(tf.max(tf.abs(tf.sub(g!, b!))).dataSync()[0]!).toBeLessThan(1e-5);
  });

  it('blur keeps a constant image constant and the output in range', () => {
    const image = tf.fill([1, 10, 10, 3], 0.4) as tf.Tensor4D;
    const params = identityParams(1, 10);
    params.blurSigma[0] = 2;
    const view = denormalize(augmentViews(image, Int32Array.from([0]), params, 10));
    expect(tf.max(tf.abs(tf.sub(view, 0.4))).dataSync()[0]!).toBeLessThan(1e-5);
  });

  it('HSV round trip is the identity and a full hue turn changes nothing', () => {
    const x = tf.randomUniform([2, 5, 5, 3], 0, 1, 'float32', 6) as tf.Tensor4D;
    const [h, s, v] = rgbToHsv(x);
    expect(tf.max(tf.abs(tf.sub(hsvToRgb(h, s, v), x))).dataSync()[0]!).toBeLessThan(1e-5);
    const shift = tf.fill([2, 1, 1, 1], 0.25) as tf.Tensor4D;
    const shifted = adjustHue(adjustHue(adjustHue(adjustHue(x, shift), shift), shift), shift);
    expect(tf.max(tf.abs(tf.sub(shifted, x))).dataSync()[0]!).toBeLessThan(1e-4);
  });

  it('a pure red pixel shifted by a third of a turn becomes green', () => {
    const red = tf.tensor4d([1, 0, 0], [1, 1, 1, 3]);
    const green = adjustHue(red, tf.fill([1, 1, 1, 1], 1 / 3) as tf.Tensor4D).dataSync();
    expect(Array.from(green).map((c) => Math.round(c * 1000) / 1000)).toEqual([0, 1, 0]);
  });
});

describe('augmentViews on wasm with our colour-jitter kernel against the TypeScript reference', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    expect(await prepareOwnWasmKernels(tf.backend())).not.toBeNull();
    defineAllCustomKernels();
    selectKernels([WASM_COLOR_JITTER_ID], 'wasm');
  });
  afterAll(async () => {
    selectKernels('stock', 'wasm');
    await tf.setBackend('cpu');
  });

  it.each([
    [1, 16, 12, ALL_OPS],
    [2, 9, 16, ALL_OPS],
    [7, 14, 12, { ...ALL_OPS, grayscaleP: 0, blurP: 0 }],
    [8, 14, 12, { ...ALL_OPS, jitterP: 0, grayscaleP: 1, blurP: 0 }],
  ])('seed %i: %i px images to %i px views agree within 1e-3', async (seed, storedSize, viewSize, config) => {
    const c = augmentCase(seed, 4, storedSize, viewSize, config);
    const pixels = toPixels(c);
    const profile = await tf.profile(() => augmentViews(pixels, c.sourceIndex, c.params, viewSize));
    expect(profile.kernelNames).toContain('SimclrColorJitter');
    const views = profile.result as tf.Tensor;
    const reference = referenceViews(c.images, storedSize, c.sourceIndex, c.params, viewSize);
    expect(pixelError(views.dataSync(), reference)).toBeLessThanOrEqual(1e-3);
    tf.dispose([pixels, views]);
  });
});
