/**
 * The training-speed configurations of issue #7, shared by the page (train/main.ts), the Playwright bench
 * (train.bench.ts), the Node runner (node-runner.ts) and the PyTorch script (pytorch/simclr_step.py gets
 * them as JSON). Plain data: no tfjs here.
 */
import type { EncoderName } from '../../../src/protocol/config';

export interface TrainCase {
  /** Stable name for the config keys, e.g. 'resnet18-32px-b256'. */
  name: string;
  encoder: EncoderName;
  widthMultiplier: number;
  /** Stem written out (not 'auto'), so the PyTorch side builds the same network. */
  stem: 'cifar' | 'imagenet';
  imageSize: number;
  batchSize: number;
  /** Timed steps after the warm-up steps; the last one ends with the one read-back. */
  steps: number;
  /**
   * Untimed steps first (default 1: compiles every WebGPU pipeline). More on wasm: Chromium runs a wasm function
   * first as baseline (Liftoff) code and swaps in optimized code only once it is hot (our forward convolution:
   * 28 ms on the first call, 5.8 ms later).
   */
  warmupSteps?: number;
  /** Side of the synthetic stored images the views are cropped from, and how many there are. */
  storeSize: number;
  images: number;
  /** Images per chunk of the step (core/train/chunked-step.ts); absent: the whole batch at once. */
  chunkSize?: number;
}

export type SpeedProfile = 'quick' | 'full';

/**
 * full: the issue's three configurations, for machines with a GPU. The CIFAR stem up to 64 px and the
 * ImageNet stem above, as the app's 'auto' stem picks.
 */
const FULL: TrainCase[] = [
  {
    name: 'resnet18-32px-b256',
    encoder: 'resnet18',
    widthMultiplier: 1,
    stem: 'cifar',
    imageSize: 32,
    batchSize: 256,
    steps: 20,
    storeSize: 64,
    images: 4096,
  },
  {
    name: 'resnet18-96px-b128',
    encoder: 'resnet18',
    widthMultiplier: 1,
    stem: 'imagenet',
    imageSize: 96,
    batchSize: 128,
    steps: 20,
    storeSize: 128,
    images: 2048,
  },
  {
    name: 'resnet-small-32px-b128',
    encoder: 'resnet-small',
    widthMultiplier: 1,
    stem: 'cifar',
    imageSize: 32,
    batchSize: 128,
    steps: 20,
    storeSize: 64,
    images: 2048,
  },
];

/**
 * quick: the same three kinds shrunk (width, batch, px) so the whole quick `npm run bench` ends in under
 * 10 minutes on a 2-core machine without a GPU (WebGPU there is SwiftShader, on the CPU). The names say
 * 'quick' so these figures are never read as the full ones.
 */
const QUICK: TrainCase[] = [
  {
    name: 'quick-resnet18-x0.125-16px-b16',
    encoder: 'resnet18',
    widthMultiplier: 0.125,
    stem: 'cifar',
    imageSize: 16,
    batchSize: 16,
    steps: 2,
    storeSize: 32,
    images: 64,
  },
  {
    name: 'quick-resnet18-x0.125-32px-imagenet-stem-b8',
    encoder: 'resnet18',
    widthMultiplier: 0.125,
    stem: 'imagenet',
    imageSize: 32,
    batchSize: 8,
    steps: 2,
    storeSize: 48,
    images: 64,
  },
  {
    name: 'quick-resnet-small-x0.125-16px-b16',
    encoder: 'resnet-small',
    widthMultiplier: 0.125,
    stem: 'cifar',
    imageSize: 16,
    batchSize: 16,
    steps: 2,
    storeSize: 32,
    images: 64,
  },
];

export function trainCases(profile: SpeedProfile): TrainCase[] {
  return profile === 'full' ? FULL : QUICK;
}

/**
 * The small ResNet case the CPU (wasm) fallback is measured on. full: the issue's (32 px, batch 128). quick: the
 * small ResNet at width 0.5, 32 px, batch 32, about what auto-configuration picks for wasm on a 2-core machine;
 * the width-0.125 GPU quick case would measure tfjs's per-op overhead (~2,500 ops of ~40 us), not convolutions.
 */
export function cpuCase(profile: SpeedProfile): TrainCase {
  if (profile === 'quick') {
    return {
      name: 'quick-cpu-resnet-small-x0.5-32px-b32',
      encoder: 'resnet-small',
      widthMultiplier: 0.5,
      stem: 'cifar',
      imageSize: 32,
      batchSize: 32,
      steps: 3,
      storeSize: 48,
      images: 64,
    };
  }
  const small = trainCases(profile).find((c) => c.encoder === 'resnet-small');
  if (!small) throw new Error('no small ResNet case');
  return { ...small, steps: 5 };
}

/**
 * Large batches in chunks (issue #15), on wasm: batch 1,024 in chunks of 64 beside batch 64 whole, the
 * same network, so views/s shows the cost of the extra forward pass and the whole-batch loss, and peak
 * tensor bytes show that memory follows the chunk. quick: the small ResNet at width 0.25 (a 2-core
 * machine takes about 10 s a step of 1,024); full: ResNet-18 at width 0.25, the wasm example in docs/speed.md.
 */
export function chunkCases(profile: SpeedProfile): [whole: TrainCase, chunked: TrainCase] {
  const net =
    profile === 'quick'
      ? { name: 'quick-chunk-resnet-small-x0.25-32px', encoder: 'resnet-small' as const, widthMultiplier: 0.25 }
      : { name: 'chunk-resnet18-x0.25-32px', encoder: 'resnet18' as const, widthMultiplier: 0.25 };
  const base = { ...net, stem: 'cifar' as const, imageSize: 32, storeSize: 48, images: 1024 };
  return [
    { ...base, name: `${net.name}-b64`, batchSize: 64, steps: profile === 'quick' ? 8 : 20 },
    { ...base, name: `${net.name}-b1024-c64`, batchSize: 1024, chunkSize: 64, steps: profile === 'quick' ? 2 : 5 },
  ];
}

/** Keys that describe a case in every figure printed for it. */
export function caseKeys(c: TrainCase): Record<string, string | number> {
  return {
    case: c.name,
    encoder: `${c.encoder} x${c.widthMultiplier}`,
    stem: c.stem,
    view_px: c.imageSize,
    batch: c.batchSize,
    views_per_step: 2 * c.batchSize,
    timed_steps: c.steps,
    ...(c.warmupSteps ? { warmup_steps: c.warmupSteps } : {}),
    ...(c.chunkSize ? { chunk: c.chunkSize, chunks: c.batchSize / c.chunkSize } : {}),
  };
}

/**
 * The two CPU cases of issue #18, as a user without a GPU trains them (cpu.bench.ts, BENCH_PROFILE=cpu):
 * the small ResNet x0.5 at batch 32 and ResNet-18 x0.25 at batch 128, both 32 px with the CIFAR stem.
 * CPU_STEPS sets the timed steps (default 3: a ResNet-18 step takes seconds on 2 cores), after 3 warm-up steps.
 */
export function cpuIssueCases(steps = Number(process.env.CPU_STEPS) || 3): TrainCase[] {
  const base = { stem: 'cifar' as const, imageSize: 32, steps, warmupSteps: 3, storeSize: 48 };
  return [
    {
      ...base,
      name: 'cpu-resnet-small-x0.5-32px-b32',
      encoder: 'resnet-small',
      widthMultiplier: 0.5,
      batchSize: 32,
      images: 256,
    },
    {
      ...base,
      name: 'cpu-resnet18-x0.25-32px-b128',
      encoder: 'resnet18',
      widthMultiplier: 0.25,
      batchSize: 128,
      images: 512,
    },
  ];
}
