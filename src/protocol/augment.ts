/**
 * Augmentation presets, their validation, and the commands/events of the augmentation preview.
 * Presets follow the SimCLR paper (Chen et al. 2020, appendix A and B.9); "light" is ours.
 */
import { type AugmentConfig, SIMCLR_CIFAR_AUGMENT, SIMCLR_IMAGENET_AUGMENT, SIMCLR_LIGHT_AUGMENT } from './config';

export type AugmentPresetName = 'imagenet' | 'cifar' | 'light';

export const AUGMENT_PRESETS: Record<AugmentPresetName, { label: string; config: AugmentConfig; note: string }> = {
  imagenet: {
    label: 'SimCLR ImageNet',
    config: SIMCLR_IMAGENET_AUGMENT,
    note: 'Paper appendix A: crop 0.08-1, jitter strength 1.0 (p 0.8), grayscale p 0.2, blur p 0.5.',
  },
  cifar: {
    label: 'SimCLR CIFAR',
    config: SIMCLR_CIFAR_AUGMENT,
    note: 'Paper B.9: jitter strength 0.5 and no blur, for small images.',
  },
  light: {
    label: 'Light',
    config: SIMCLR_LIGHT_AUGMENT,
    note: 'Gentler crops and colour for tiny data sets (a few hundred images), where strong views drown the signal.',
  },
};

/** The preset `augment` equals, if any. */
export function matchingPreset(augment: AugmentConfig): AugmentPresetName | null {
  for (const [name, preset] of Object.entries(AUGMENT_PRESETS) as [
    AugmentPresetName,
    (typeof AUGMENT_PRESETS)['light'],
  ][]) {
    const keys = Object.keys(preset.config) as (keyof AugmentConfig)[];
    if (keys.every((k) => Math.abs(preset.config[k] - augment[k]) < 1e-9)) return name;
  }
  return null;
}

/** Problems with an augmentation config, as messages naming the setting. */
export function validateAugment(a: AugmentConfig): string[] {
  const problems: string[] = [];
  const probability = (value: number, name: string) => {
    if (!(value >= 0 && value <= 1)) problems.push(`${name} must be between 0 and 1.`);
  };
  if (!(a.cropAreaMin > 0 && a.cropAreaMin <= a.cropAreaMax && a.cropAreaMax <= 1))
    problems.push('Crop area must satisfy 0 < min <= max <= 1.');
  if (!(a.aspectMin > 0 && a.aspectMin <= 1 && a.aspectMax >= 1 && a.aspectMax <= 10))
    problems.push('Crop aspect ratio range must contain 1 (min in (0, 1], max in [1, 10]).');
  probability(a.flipP, 'Flip probability');
  probability(a.jitterP, 'Colour jitter probability');
  probability(a.grayscaleP, 'Grayscale probability');
  probability(a.blurP, 'Blur probability');
  if (!(a.jitterStrength >= 0 && a.jitterStrength <= 2.5))
    problems.push('Jitter strength must be between 0 and 2.5 (hue shift 0.2 s stays within half a turn).');
  if (!(a.blurSigmaMin > 0 && a.blurSigmaMin <= a.blurSigmaMax && a.blurSigmaMax <= 10))
    problems.push('Blur sigma must satisfy 0 < min <= max <= 10.');
  return problems;
}

/** Views shown per preview: 8 pairs, as a batch of 8 copies of one image gives them in training. */
export const PREVIEW_PAIRS = 8;

export type AugmentCommand =
  /** Changes the running run's augmentation from its next step (ignored when no run is active). */
  | { type: 'setAugment'; augment: AugmentConfig }
  /** 8 pairs of views of image `imageIndex`, made by the training pipeline with `augment`. */
  | {
      type: 'previewAugment';
      requestId: number;
      imageIndex: number;
      augment: AugmentConfig;
      viewSize: number;
      seed: number;
    };

export type AugmentEvent =
  | {
      type: 'augmentPreview';
      requestId: number;
      imageIndex: number;
      viewSize: number;
      pairs: number;
      /** 2 x pairs views, RGBA bytes viewSize x viewSize each; view 2p and 2p + 1 are pair p. */
      pixels: Uint8ClampedArray;
      /** Which implementation made them: the fused WGSL kernel or tf ops. */
      engine: 'fused' | 'tfops';
    }
  /** The running run uses the new augmentation from step `fromStep` on. */
  | { type: 'augmentApplied'; fromStep: number; augment: AugmentConfig };
