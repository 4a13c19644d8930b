import * as tf from '@tensorflow/tfjs';
import { augmentViews } from '../augment/augment-views';
import type { ViewParams } from '../augment/params';
import { isCustomKernelEnabled } from '../kernels/registry';
import { fusedNtXentLoss, NT_XENT_ID } from '../kernels/webgpu/nt-xent';
import { ntXentLoss } from '../loss/nt-xent';
import type { Optimizer } from '../optim/optimizers';
import type { SimclrModel } from './simclr-model';

export type StepInputs = { temperature: number; learningRate: number } & (
  | {
      /** [B, S, S, 3] int32 pixel values 0..255 of the batch's images. */
      images: tf.Tensor4D;
      /** Parameters of 2B views: views 0..B-1 are the first view of each image, B..2B-1 the second. */
      views: ViewParams;
      viewSize: number;
    }
  | {
      /** Makes the 2B views [2B, s, s, 3] in the same order (a BatchAugmenter); called inside the step's tidy. */
      augment: () => tf.Tensor4D;
      /**
       * Both views of images start..start+size-1 ([2 size, s, s, 3], first views then second views), the
       * same as those rows of augment(): a step in chunks makes its views chunk by chunk with it, so the
       * augmentation's intermediates are one chunk's, not the batch's.
       */
      augmentImages?: { batch: number; views: (start: number, size: number) => tf.Tensor4D };
    }
);

export interface StepOutputs {
  loss: tf.Scalar;
  /** Projections z [2B, p] of this step's views (before the update), kept only when asked for. */
  projections: tf.Tensor2D | null;
  /** Representations h [2B, d] of the same views, kept with the projections (for the health views). */
  representations: tf.Tensor2D | null;
}

/** Views 0..B-1 and B..2B-1 both come from images 0..B-1, so row i and row i+B are a positive pair. */
export function pairedSourceIndex(batchSize: number): Int32Array {
  const index = new Int32Array(2 * batchSize);
  for (let i = 0; i < batchSize; i++) {
    index[i] = i;
    index[batchSize + i] = i;
  }
  return index;
}

/**
 * One SimCLR step: augment two views per image on the GPU, h = f(x), z = g(h), NT-Xent, gradients,
 * optimizer update. Nothing is read back to the CPU here.
 */
export function trainStep(
  model: SimclrModel,
  optimizer: Optimizer,
  input: StepInputs,
  keepProjections: boolean,
): StepOutputs {
  let projections: tf.Tensor2D | null = null;
  let representations: tf.Tensor2D | null = null;
  const loss = tf.tidy(() => {
    const views =
      'augment' in input
        ? input.augment()
        : augmentViews(
            tf.div(tf.cast(input.images, 'float32'), 255) as tf.Tensor4D,
            pairedSourceIndex(input.images.shape[0]),
            input.views,
            input.viewSize,
          );
    const variables = model.params.map((p) => p.variable);
    const { value, grads } = tf.variableGrads(() => {
      const h = model.encoder.run(views as tf.Tensor, true);
      const z = model.head.run(h, true) as tf.Tensor2D;
      if (keepProjections) {
        projections = tf.keep(z);
        representations = tf.keep(h as tf.Tensor2D);
      }
      // The fused WebGPU NT-Xent (forward and dz in 6 dispatches) where enabled; same loss definition.
      if (isCustomKernelEnabled(NT_XENT_ID) && tf.getBackend() === 'webgpu')
        return fusedNtXentLoss(z, input.temperature);
      const [z1, z2] = tf.split(z, 2, 0) as [tf.Tensor2D, tf.Tensor2D];
      return ntXentLoss(z1, z2, input.temperature);
    }, variables);
    optimizer.apply(
      variables.map((v) => grads[v.name]!),
      input.learningRate,
    );
    return value;
  });
  return { loss, projections, representations };
}
