import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { budgetFromLimits, type GpuBudget, GpuImageSet } from '../data/gpu-image-set';
import type { ImageStore } from '../data/image-store';
import { augmentViews } from './augment-views';
import type { ViewParams } from './params';
import { fusedAugmentViews } from './webgpu/fused-augment';

/**
 * Makes a step's 2B views from the data set: views 0..B-1 are the first view of each image of the
 * batch, B..2B-1 the second. One implementation per backend family, same views (both are tested
 * against reference.ts).
 */
export interface BatchAugmenter {
  readonly kind: 'fused' | 'tfops';
  /** @returns [2 * indices.length, viewSize, viewSize, 3] normalized views */
  views(indices: ArrayLike<number>, params: ViewParams, viewSize: number): tf.Tensor4D;
  dispose(): void;
}

/** Views 0..B-1 and B..2B-1 come from batch images 0..B-1, which sit at `rows` of the packed tensor. */
function pairedRows(rows: ArrayLike<number>): Int32Array {
  const batch = rows.length;
  return Int32Array.from({ length: 2 * batch }, (_, v) => rows[v % batch]!);
}

/** WebGPU: the data set resident on the GPU as packed uint8, one fused WGSL pass per step. */
export class FusedAugmenter implements BatchAugmenter {
  readonly kind = 'fused';
  readonly images: GpuImageSet;

  constructor(
    private readonly store: ImageStore,
    budget: GpuBudget,
  ) {
    this.images = new GpuImageSet(store, budget);
    this.images.warm();
  }

  views(indices: ArrayLike<number>, params: ViewParams, viewSize: number): tf.Tensor4D {
    const batch = this.images.batch(indices);
    try {
      return fusedAugmentViews(batch.images, this.store.size, pairedRows(batch.rows), params, viewSize);
    } finally {
      // safe while the kernel is queued: tfjs releases the buffer after the GPU is done with it
      if (batch.owned) batch.images.dispose();
    }
  }

  dispose(): void {
    this.images.dispose();
  }
}

/** Other backends: the batch gathered on the CPU and uploaded each step, then augmented with tf ops. */
export class TfOpsAugmenter implements BatchAugmenter {
  readonly kind = 'tfops';

  constructor(private readonly store: ImageStore) {}

  views(indices: ArrayLike<number>, params: ViewParams, viewSize: number): tf.Tensor4D {
    const size = this.store.size;
    return tf.tidy(() => {
      // CPU-to-GPU upload of the batch's bytes (no packed GPU data set on these backends: WebGL keeps
      // int32 as float, which cannot hold four packed bytes exactly)
      const images = tf.tensor4d(this.store.gather(indices), [indices.length, size, size, 3], 'int32');
      const pixels = tf.div(tf.cast(images, 'float32'), 255) as tf.Tensor4D;
      return augmentViews(
        pixels,
        pairedRows(Int32Array.from({ length: indices.length }, (_, i) => i)),
        params,
        viewSize,
      );
    });
  }

  dispose(): void {}
}

/** The WebGPU device's limits, from which the data set's GPU budget is derived. */
export function webGpuBudget(): GpuBudget {
  const device = (tf.backend() as WebGPUBackend).device;
  return budgetFromLimits(device.limits);
}

/** The fused augmenter on webgpu, tf ops elsewhere. */
export function createAugmenter(store: ImageStore): BatchAugmenter {
  return tf.getBackend() === 'webgpu' ? new FusedAugmenter(store, webGpuBudget()) : new TfOpsAugmenter(store);
}
