/**
 * How much memory a training step needs and how many passes ("chunks" in the UI) a batch is split into
 * (gradient caching, src/core/train/chunked-step.ts). Plain arithmetic over the architecture plan, so the
 * UI, the worker and the tests agree on the same figures.
 */
import { encoderPlan } from './architecture';
import { type BackendName, chunkProblem, largestDivisorUpTo, MIN_CHUNK_IMAGES, type TrainConfig } from './config';

/** A config to plan; `chunkSize` absent or null: the fewest chunks that fit. */
type PlanConfig = Pick<TrainConfig, 'encoder' | 'imageSize' | 'widthMultiplier' | 'stem' | 'batchSize'> &
  Partial<Pick<TrainConfig, 'chunkSize'>>;

const GIB = 1024 ** 3;
const FLOAT_BYTES = 4;

/**
 * Bytes a training step holds per view and per activation float of the encoder: every tensor a step
 * makes stays alive until its tf.tidy ends (forward outputs, BatchNorm intermediates, the backward pass
 * and the filter-gradient transposes). Measured with tf.profile's peakBytes on wasm (B = 8 and 16):
 * ResNet-18 width 0.25 at 32 px 14.2 MB per view (23 bytes/float x 4 = 92 B per activation float),
 * width 0.5 28.7 MB, at 64 px 56 MB, the small ResNet width 0.25 8.6 MB (30 floats), ResNet-50 width
 * 0.25 78 MB. 32 floats (128 B) per activation float covers all of them.
 */
const TENSORS_PER_ACTIVATION = 32;
/** The augmentation's intermediates per view, per input float (crop grids, colour jitter, blur). */
const TENSORS_PER_INPUT = 24;

/** Activation floats of one view through the encoder: every convolution's output, shortcuts included. */
export function activationFloatsPerView(config: PlanConfig): number {
  const plan = encoderPlan(config);
  const out = (c: { outChannels: number; outputSize: number }) => c.outChannels * c.outputSize * c.outputSize;
  let floats = out(plan.stemConv);
  for (const block of plan.blocks) {
    for (const c of block.convs) floats += out(c);
    if (block.shortcut) floats += out(block.shortcut);
  }
  return floats;
}

/** The largest single activation of one view, in floats (a GPU buffer must hold a pass's worth of it). */
export function largestActivationFloats(config: PlanConfig): number {
  const plan = encoderPlan(config);
  let largest = plan.stemConv.outChannels * plan.stemConv.outputSize ** 2;
  for (const block of plan.blocks)
    for (const c of [...block.convs, ...(block.shortcut ? [block.shortcut] : [])])
      largest = Math.max(largest, c.outChannels * c.outputSize ** 2);
  return largest;
}

/** Estimated peak bytes one image (two views) adds to a step's working set. */
export function stepBytesPerImage(config: PlanConfig): number {
  const perView =
    activationFloatsPerView(config) * TENSORS_PER_ACTIVATION + config.imageSize ** 2 * 3 * TENSORS_PER_INPUT;
  return 2 * perView * FLOAT_BYTES;
}

/** Copies of the 2B views a step in chunks holds at once: the chunks' views while they are put in order. */
const VIEW_COPIES = 3;

/**
 * What a step holds over the whole batch whatever the chunks: NT-Xent over all 2B views (a dozen
 * [2B, 2B] tensors: similarities and their gradient) and the 2B views. The augmentation's intermediates
 * are one chunk's (core/train/chunked-step.ts makes the views chunk by chunk), counted per image.
 */
export function lossBytes(batchSize: number, imageSize = 0): number {
  return (12 * (2 * batchSize) ** 2 + 2 * batchSize * imageSize ** 2 * 3 * VIEW_COPIES) * FLOAT_BYTES;
}

/** What the backend can hold, from its own limits. */
export interface MemoryLimits {
  backend: BackendName;
  /** Bytes a step's tensors may take in all. */
  budgetBytes: number;
  /** The largest single tensor the backend can make (a WebGPU binding, a WebGL texture), bytes. */
  maxTensorBytes: number;
  /** Where the budget comes from, for people. */
  source: string;
}

/** wasm32: the heap can never grow past 4 GiB (tfjs-backend-wasm is built with that maximum). */
export const WASM_HEAP_BYTES = 4 * GIB;
/** WebGPU and WebGL do not say how much memory the GPU has: a budget that fits a 4 GB laptop GPU. */
export const GPU_BUDGET_BYTES = 2 * GIB;

export interface BackendFacts {
  /** WebGPU: min(maxStorageBufferBindingSize, maxBufferSize). */
  maxBindingBytes?: number;
  /** WebGL: MAX_TEXTURE_SIZE (a tensor is at most size x size texels of 4 floats). */
  maxTextureSize?: number;
  /** Bytes already held on the device for the run: weights, optimizer slots, a resident data set. */
  residentBytes: number;
}

/** The step's memory limits on `backend`, after what the run already holds. */
export function memoryLimitsFor(backend: BackendName, facts: BackendFacts): MemoryLimits {
  const held = facts.residentBytes;
  switch (backend) {
    case 'wasm':
      // A quarter of the heap is left for fragmentation, XNNPACK's packed weights and the batch upload.
      return {
        backend,
        budgetBytes: Math.max(0, WASM_HEAP_BYTES * 0.75 - held),
        maxTensorBytes: 2 * GIB,
        source: 'the 4 GiB WebAssembly memory',
      };
    case 'cpu':
      return { backend, budgetBytes: Math.max(0, 4 * GIB - held), maxTensorBytes: 2 * GIB, source: 'a 4 GiB budget' };
    case 'webgpu':
      return {
        backend,
        budgetBytes: Math.max(0, GPU_BUDGET_BYTES - held),
        maxTensorBytes: facts.maxBindingBytes ?? 128 * 1024 ** 2,
        source: "a 2 GiB GPU budget and the adapter's largest buffer binding",
      };
    case 'webgl': {
      const side = facts.maxTextureSize ?? 4096;
      return {
        backend,
        budgetBytes: Math.max(0, GPU_BUDGET_BYTES - held),
        maxTensorBytes: side * side * 4 * FLOAT_BYTES,
        source: 'a 2 GiB GPU budget and the largest WebGL texture',
      };
    }
  }
}

export interface StepPlan {
  batchSize: number;
  /** Passes one optimizer step is split into (1: the whole batch at once). */
  passes: number;
  /** Images per pass (the last pass may have fewer). */
  imagesPerPass: number;
  /** Estimated peak bytes of one pass, and the budget it was planned against. */
  passBytes: number;
  budgetBytes: number;
  /** Why the step is split, for people ('' when it is not). */
  reason: string;
}

export type PlanResult =
  | { fits: true; plan: StepPlan }
  | {
      fits: false;
      /** The largest batch whose step fits (0: not even one image). */
      largestBatch: number;
      /**
       * A chunk set by hand that is too large while a smaller one would fit: the largest divisor of the
       * batch that fits (0: none of at least 2 images; auto would split it unevenly). Null otherwise.
       */
      largestChunk: number | null;
      /** Bytes one image needs and what was available, for the message. */
      bytesPerImage: number;
      budgetBytes: number;
      source: string;
    };

/**
 * Images per pass that fit the budget and the largest-tensor limit, for a step of `batch` images: 0 when
 * the loss over all views does not fit, in all or as one [2B, 2B] similarity tensor.
 */
function imagesThatFit(config: PlanConfig, limits: MemoryLimits, batch: number): number {
  if ((2 * batch) ** 2 * FLOAT_BYTES > limits.maxTensorBytes) return 0;
  const perImage = stepBytesPerImage(config);
  const byBudget = Math.floor((limits.budgetBytes - lossBytes(batch, config.imageSize)) / perImage);
  const byTensor = Math.floor(limits.maxTensorBytes / (2 * largestActivationFloats(config) * FLOAT_BYTES));
  return Math.max(0, Math.min(byBudget, byTensor));
}

/**
 * Splits the batch into chunks of `config.chunkSize` images when one is set (a valid one: config.ts's
 * chunkProblem), else into the fewest passes whose working set fits `limits`, as even as possible. At
 * least `minPasses`, which the worker raises after an out-of-memory error: that overrides a set chunk.
 */
export function planStep(config: PlanConfig, limits: MemoryLimits, minPasses = 1): PlanResult {
  const batch = config.batchSize;
  const loss = lossBytes(batch, config.imageSize);
  const fit = imagesThatFit(config, limits, batch);
  const perImage = stepBytesPerImage(config);
  // A chunk that cannot split this batch (validation refuses it for a run) is planned as auto: the
  // auto-configure probe times candidate batches that the person's chunk may not divide.
  const chunk = chunkProblem(config.chunkSize, batch) === null ? (config.chunkSize ?? null) : null;
  const setChunk = chunk !== null && batch / chunk >= minPasses ? chunk : null;
  if (fit >= 1 && setChunk !== null) {
    if (setChunk > fit) {
      return {
        fits: false,
        largestBatch: batch,
        largestChunk: largestDivisorUpTo(batch, fit),
        bytesPerImage: perImage,
        budgetBytes: limits.budgetBytes,
        source: limits.source,
      };
    }
    return {
      fits: true,
      plan: {
        batchSize: batch,
        passes: batch / setChunk,
        imagesPerPass: setChunk,
        passBytes: setChunk * perImage,
        budgetBytes: limits.budgetBytes,
        reason: setChunk < batch ? 'the chunk set by you' : '',
      },
    };
  }
  // Auto never plans a chunk under MIN_CHUNK_IMAGES, nor more chunks than that allows (an out-of-memory
  // retry that asks for them is told the step does not fit).
  const mostPasses = Math.floor(batch / MIN_CHUNK_IMAGES);
  const passes = fit < 1 ? Number.POSITIVE_INFINITY : Math.max(minPasses, Math.ceil(batch / fit));
  if (fit < MIN_CHUNK_IMAGES || passes > mostPasses) {
    // The loss over all views is not split: search the largest batch whose loss and one chunk still fit.
    let largest = 0;
    for (let b = batch - 1; b >= MIN_CHUNK_IMAGES && minPasses <= mostPasses; b = Math.floor(b * 0.9)) {
      const fitsB = imagesThatFit(config, limits, b);
      if (fitsB >= MIN_CHUNK_IMAGES && Math.ceil(b / fitsB) <= Math.floor(b / MIN_CHUNK_IMAGES)) {
        largest = b;
        break;
      }
    }
    return {
      fits: false,
      largestBatch: largest,
      largestChunk: null,
      bytesPerImage: perImage,
      budgetBytes: limits.budgetBytes,
      source: limits.source,
    };
  }
  const evenPasses = Math.ceil(batch / Math.ceil(batch / passes));
  // The largest chunk (core/train/chunked-step.ts passRanges: sizes differ by at most one).
  const imagesPerPass = Math.ceil(batch / evenPasses);
  return {
    fits: true,
    plan: {
      batchSize: batch,
      passes: evenPasses,
      imagesPerPass,
      passBytes: imagesPerPass * perImage,
      budgetBytes: limits.budgetBytes,
      reason:
        evenPasses > 1
          ? `the whole batch at once needs about ${formatBytes(batch * perImage + loss)}; ${limits.source} leaves ${formatBytes(limits.budgetBytes)}`
          : '',
    },
  };
}

export function formatBytes(bytes: number): string {
  if (bytes >= GIB) return `${(bytes / GIB).toFixed(1)} GiB`;
  return `${Math.round(bytes / 1024 ** 2)} MiB`;
}

const count = (n: number) => n.toLocaleString('en');

/** "batch 1,024 in 16 chunks of 64", "batch 100 in 3 chunks of 33–34" or "batch 128 in one chunk". */
export function describeStepPlan(plan: Pick<StepPlan, 'batchSize' | 'passes' | 'imagesPerPass'>): string {
  if (plan.passes <= 1) return `batch ${count(plan.batchSize)} in one chunk`;
  return `batch ${count(plan.batchSize)} in ${describeChunks(plan)}`;
}

/** "16 chunks of 64" or, when the batch does not divide evenly, "3 chunks of 33–34". */
export function describeChunks(plan: Pick<StepPlan, 'batchSize' | 'passes' | 'imagesPerPass'>): string {
  const smallest = Math.floor(plan.batchSize / plan.passes);
  const sizes =
    smallest < plan.imagesPerPass ? `${count(smallest)}–${count(plan.imagesPerPass)}` : count(plan.imagesPerPass);
  return `${plan.passes} chunks of ${sizes}`;
}
