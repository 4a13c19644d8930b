/**
 * The one config object that flows from the UI into the worker. Everything a run depends on is in it,
 * so a run can be saved and repeated. Defaults follow the SimCLR paper where it applies:
 * Chen et al., "A Simple Framework for Contrastive Learning of Visual Representations", ICML 2020
 * (arXiv:2002.05709), appendix A (augmentations) and B.9 (CIFAR-10 settings).
 */

export type EncoderName = 'resnet18' | 'resnet34' | 'resnet50' | 'resnet-small';
/** 'auto' picks the CIFAR stem up to 64 px and the ImageNet stem above (see architecture.ts). */
export type StemChoice = 'auto' | 'cifar' | 'imagenet';
/** SimCLR v1 head (Linear-ReLU-Linear) or v2 head (3 Linear layers with BatchNorm). */
export type ProjectionHeadName = 'v1' | 'v2';
/** Peak learning rate = base x B/256 (linear) or base x sqrt(B) (sqrt), SimCLR appendix B.1; 'none' uses it as given. */
export type LearningRateScaling = 'none' | 'linear' | 'sqrt';
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type BackendChoice = BackendName | 'auto';
/** 'custom': our faster GPU kernels where the backend has them; 'stock': tfjs's own kernels only. */
export type KernelChoice = 'custom' | 'stock';
/** 'adam' is AdamW (decoupled weight decay); 'lars' is LARS as in google-research/simclr. */
export type OptimizerName = 'adam' | 'sgd' | 'lars';

export interface AugmentConfig {
  /** Random resized crop: fraction of the image area kept (paper: 0.08-1.0). */
  cropAreaMin: number;
  cropAreaMax: number;
  /** Random resized crop: aspect ratio range (paper: 3/4-4/3). */
  aspectMin: number;
  aspectMax: number;
  /** Horizontal flip probability (paper: 0.5). */
  flipP: number;
  /** Colour jitter probability (paper: 0.8) and strength s (paper: 1.0 ImageNet, 0.5 CIFAR). */
  jitterP: number;
  jitterStrength: number;
  /** Random grayscale probability (paper: 0.2). */
  grayscaleP: number;
  /** Gaussian blur probability (paper: 0.5 on ImageNet, off for CIFAR) and sigma range (paper: 0.1-2.0). */
  blurP: number;
  blurSigmaMin: number;
  blurSigmaMax: number;
}

export type TrainDuration = { unit: 'epochs' | 'steps'; value: number };

export interface TrainConfig {
  seed: number;
  /** Side of each augmented view in pixels (the encoder's input size). */
  imageSize: number;
  /** Images per step; each gives two views, so the loss sees 2 x batchSize views. */
  batchSize: number;
  /**
   * Images per chunk of the step (core/train/chunked-step.ts), or null (auto): the planner takes the
   * fewest chunks that fit memory. BatchNorm normalizes per chunk; the loss and gradients are the batch's.
   */
  chunkSize: number | null;
  encoder: EncoderName;
  /** Multiplies every stage's channel count (64, 128, 256, 512 for ResNet-18 at 1.0). */
  widthMultiplier: number;
  stem: StemChoice;
  projectionHead: ProjectionHeadName;
  /** Projection head g: Linear(h, hidden) - ReLU - Linear(hidden, projectionDim) (SimCLR v1; paper: 128). */
  projectionDim: number;
  projectionHidden: number;
  /** NT-Xent temperature tau (paper: 0.5 for CIFAR-10, 0.1 for ImageNet with large batches). */
  temperature: number;
  optimizer: OptimizerName;
  /** Base learning rate; the peak after warm-up is this scaled by `learningRateScaling`. Cosine decay to 0 after it. */
  learningRate: number;
  learningRateScaling: LearningRateScaling;
  weightDecay: number;
  /** Linear warm-up length as a fraction of the whole run (paper: 10 epochs of 100 -> 0.1). */
  warmupFraction: number;
  duration: TrainDuration;
  /** Read metrics back from the GPU every k steps (each read is a GPU-to-CPU sync). */
  metricsEvery: number;
  /**
   * Autosave a checkpoint to browser storage every this many steps and every this many minutes (0: off);
   * with either on, step 1 is saved too, so a reload never finds nothing.
   */
  checkpointEverySteps: number;
  checkpointEveryMinutes: number;
  augment: AugmentConfig;
}

export interface DataConfig {
  /** Images are decoded, centre-cropped to a square and stored at this side (px); crops are taken from it. */
  storeSize: number;
}

/** SimCLR ImageNet augmentation (paper appendix A) with s = 1. */
export const SIMCLR_IMAGENET_AUGMENT: AugmentConfig = {
  cropAreaMin: 0.08,
  cropAreaMax: 1.0,
  aspectMin: 3 / 4,
  aspectMax: 4 / 3,
  flipP: 0.5,
  jitterP: 0.8,
  jitterStrength: 1.0,
  grayscaleP: 0.2,
  blurP: 0.5,
  blurSigmaMin: 0.1,
  blurSigmaMax: 2.0,
};

/** SimCLR CIFAR-10 augmentation (paper B.9): s = 0.5 and no blur. */
export const SIMCLR_CIFAR_AUGMENT: AugmentConfig = {
  ...SIMCLR_IMAGENET_AUGMENT,
  jitterStrength: 0.5,
  blurP: 0,
};

/** Light augmentation for tiny data sets (ours, not the paper's): larger crops, weaker colour, no blur. */
export const SIMCLR_LIGHT_AUGMENT: AugmentConfig = {
  ...SIMCLR_IMAGENET_AUGMENT,
  cropAreaMin: 0.35,
  jitterP: 0.5,
  jitterStrength: 0.4,
  grayscaleP: 0.1,
  blurP: 0,
};

export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  seed: 42,
  imageSize: 32,
  batchSize: 128,
  chunkSize: null,
  encoder: 'resnet18',
  widthMultiplier: 1,
  stem: 'auto',
  projectionHead: 'v1',
  projectionDim: 128,
  projectionHidden: 512,
  temperature: 0.5,
  optimizer: 'adam',
  learningRate: 1e-3,
  learningRateScaling: 'none',
  weightDecay: 1e-6,
  warmupFraction: 0.1,
  duration: { unit: 'epochs', value: 20 },
  metricsEvery: 5,
  checkpointEverySteps: 0,
  checkpointEveryMinutes: 1,
  augment: SIMCLR_CIFAR_AUGMENT,
};

export const DEFAULT_DATA_CONFIG: DataConfig = { storeSize: 64 };

/** Channel statistics used to normalize views (ImageNet, as torchvision and solo-learn use them). */
export const NORMALIZE_MEAN: readonly [number, number, number] = [0.485, 0.456, 0.406];
export const NORMALIZE_STD: readonly [number, number, number] = [0.229, 0.224, 0.225];

/** How a downloaded model (encoder or classifier) wants its input: written into both metadata.json files. */
export interface ModelInputSpec {
  inputSize: [number, number, number];
  channelOrder: 'RGB';
  inputLayout: 'NHWC';
  preprocessing: string;
  normalization: { scale: number; mean: [number, number, number]; std: [number, number, number] };
}

export function modelInputSpec(imageSize: number): ModelInputSpec {
  return {
    inputSize: [imageSize, imageSize, 3],
    channelOrder: 'RGB',
    inputLayout: 'NHWC',
    preprocessing:
      'Centre-crop to a square, resize to inputSize with bilinear filtering, RGB bytes x scale, then (x - mean) / std per channel.',
    normalization: { scale: 1 / 255, mean: [...NORMALIZE_MEAN], std: [...NORMALIZE_STD] },
  };
}

/** The peak learning rate the schedule warms up to. */
export function peakLearningRate(
  config: Pick<TrainConfig, 'learningRate' | 'learningRateScaling' | 'batchSize'>,
): number {
  switch (config.learningRateScaling) {
    case 'none':
      return config.learningRate;
    case 'linear':
      return (config.learningRate * config.batchSize) / 256;
    case 'sqrt':
      return config.learningRate * Math.sqrt(config.batchSize);
  }
}

/**
 * Bounds of the settings: the settings form, validation and auto-configure's prediction all read these.
 * A batch needs another image to contrast each one with (NT-Xent).
 */
export const CONFIG_LIMITS = {
  batchSize: { min: 2 },
  imageSize: { min: 8, max: 512 },
} as const;

/** Optimizer steps in one epoch: the last incomplete batch is dropped (0 for a batch below 1). */
export function stepsPerEpoch(imageCount: number, batchSize: number): number {
  return batchSize >= 1 ? Math.floor(imageCount / batchSize) : 0;
}

/** Number of optimizer steps for a run (the last incomplete batch of each epoch is dropped). */
export function totalSteps(config: Pick<TrainConfig, 'duration' | 'batchSize'>, imageCount: number): number {
  if (config.duration.unit === 'steps') return Math.max(0, Math.floor(config.duration.value));
  return Math.max(0, stepsPerEpoch(imageCount, config.batchSize) * Math.floor(config.duration.value));
}

/**
 * The largest batch a data set of `imageCount` images can train with: a batch draws distinct images, so
 * at most all of them. The one rule: validation refuses more, and auto-configure lowers a batch to it.
 */
export function capBatchToData(batchSize: number, imageCount: number): number {
  return imageCount >= 2 ? Math.min(batchSize, imageCount) : batchSize;
}

/**
 * A config saved before a field existed (a checkpoint, a saved run), with that field's default: runs
 * saved before chunks were settable are planned automatically.
 */
export function withConfigDefaults(saved: TrainConfig): TrainConfig {
  return { ...saved, chunkSize: saved.chunkSize ?? null };
}

/** The fewest images a chunk may hold, set by hand or planned: BatchNorm needs more than one image's views. */
export const MIN_CHUNK_IMAGES = 2;

/**
 * Why `chunkSize` cannot split a batch of `batchSize` (null when it can, or when it is auto). A chunk of
 * one image is refused: its BatchNorm would normalize over one image's two views only.
 */
export function chunkProblem(chunkSize: number | null | undefined, batchSize: number): string | null {
  if (chunkSize == null) return null;
  if (!Number.isInteger(chunkSize) || chunkSize < MIN_CHUNK_IMAGES)
    return "Chunk must be auto or a whole number of at least 2 images (BatchNorm over one image's two views is degenerate).";
  if (chunkSize > batchSize)
    return `Chunk (${chunkSize}) is larger than the batch (${batchSize}): lower it or set it to auto.`;
  if (batchSize % chunkSize !== 0)
    return `Chunk (${chunkSize}) does not divide the batch (${batchSize}): use a divisor such as ${largestDivisorUpTo(batchSize, chunkSize) || 'auto'}.`;
  return null;
}

/** The largest divisor of `batchSize` that is at least 2 and at most `limit` (0 when there is none). */
export function largestDivisorUpTo(batchSize: number, limit: number): number {
  for (let d = Math.min(batchSize, Math.floor(limit)); d >= MIN_CHUNK_IMAGES; d--) if (batchSize % d === 0) return d;
  return 0;
}

/** Problems with a config for a data set of `imageCount` images, as messages a person can act on. */
export function validateConfig(config: TrainConfig, imageCount: number): string[] {
  const problems: string[] = [];
  if (imageCount < 2)
    problems.push('Load at least 2 images: NT-Xent contrasts each image with the others in its batch.');
  const { batchSize: batchLimits, imageSize: sizeLimits } = CONFIG_LIMITS;
  if (!Number.isInteger(config.batchSize) || config.batchSize < batchLimits.min)
    problems.push(`Batch size must be a whole number of at least ${batchLimits.min}.`);
  else if (capBatchToData(config.batchSize, imageCount) < config.batchSize)
    problems.push(`Batch size (${config.batchSize}) is larger than the data set (${imageCount} images): lower it.`);
  else {
    const chunk = chunkProblem(config.chunkSize, config.batchSize);
    if (chunk) problems.push(chunk);
  }
  if (!Number.isInteger(config.imageSize) || config.imageSize < sizeLimits.min || config.imageSize > sizeLimits.max)
    problems.push(`Image size must be a whole number between ${sizeLimits.min} and ${sizeLimits.max} px.`);
  if (!(config.temperature > 0)) problems.push('Temperature must be greater than 0.');
  if (!(config.learningRate > 0)) problems.push('Learning rate must be greater than 0.');
  if (!(config.weightDecay >= 0)) problems.push('Weight decay must be 0 or more.');
  if (!(config.widthMultiplier > 0)) problems.push('Width multiplier must be greater than 0.');
  if (!(config.duration.value >= 1)) problems.push('Train for at least 1 epoch or step.');
  if (!Number.isInteger(config.seed)) problems.push('Seed must be a whole number.');
  if (!(config.metricsEvery >= 1)) problems.push('Metrics interval must be at least 1 step.');
  if (!(config.checkpointEverySteps >= 0 && config.checkpointEveryMinutes >= 0))
    problems.push('Autosave intervals must be 0 (off) or more.');
  if (!(config.warmupFraction >= 0 && config.warmupFraction < 1)) problems.push('Warm-up fraction must be in [0, 1).');
  if (problems.length === 0 && totalSteps(config, imageCount) < 1)
    problems.push('This run would have 0 steps: train for more epochs or use a smaller batch.');
  return problems;
}
