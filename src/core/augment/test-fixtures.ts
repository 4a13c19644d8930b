import { type AugmentConfig, SIMCLR_IMAGENET_AUGMENT } from '../../protocol/config';
import { Rng } from '../random/rng';
import { drawViewParams, type ViewParams } from './params';

/**
 * Shared inputs of the augmentation tests (reference vs tf ops in Node, reference vs WGSL in Dawn):
 * random images with smooth gradients and noise, and parameters with every op switched on often.
 */
export interface AugmentCase {
  storedSize: number;
  viewSize: number;
  images: Uint8Array[];
  sourceIndex: Int32Array;
  params: ViewParams;
}

/** Every op on with probability 1 except the flip (0.5), so one case exercises all of them. */
export const ALL_OPS: AugmentConfig = { ...SIMCLR_IMAGENET_AUGMENT, jitterP: 1, grayscaleP: 0.5, blurP: 1 };

export function randomImage(rng: Rng, size: number): Uint8Array {
  const image = new Uint8Array(size * size * 3);
  const tilt = [rng.next(), rng.next(), rng.next()];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      for (let c = 0; c < 3; c++) {
        const smooth = 255 * (0.5 + 0.5 * Math.sin((x * tilt[c]! + y * (1 - tilt[c]!)) / 3 + c));
        image[(y * size + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(smooth + 40 * (rng.next() - 0.5))));
      }
    }
  }
  return image;
}

export function augmentCase(
  seed: number,
  imageCount: number,
  storedSize: number,
  viewSize: number,
  config: AugmentConfig = ALL_OPS,
): AugmentCase {
  const rng = new Rng(seed);
  const images = Array.from({ length: imageCount }, () => randomImage(rng, storedSize));
  const views = 2 * imageCount;
  const sourceIndex = Int32Array.from({ length: views }, (_, v) => v % imageCount);
  return { storedSize, viewSize, images, sourceIndex, params: drawViewParams(rng, views, storedSize, config) };
}

export { maxAbsDiff } from '../testing/max-abs-diff';
