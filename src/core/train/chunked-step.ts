import * as tf from '@tensorflow/tfjs';
import { augmentViews } from '../augment/augment-views';
import { isCustomKernelEnabled } from '../kernels/registry';
import { fusedNtXentLoss, NT_XENT_ID } from '../kernels/webgpu/nt-xent';
import { ntXentLoss } from '../loss/nt-xent';
import type { Optimizer } from '../optim/optimizers';
import type { SimclrModel } from './simclr-model';
import { pairedSourceIndex, type StepInputs, type StepOutputs, trainStep } from './train-step';

/**
 * A SimCLR step over a batch too large for one pass, by gradient caching (Gao et al. 2021, "Scaling
 * deep contrastive learning batch size under memory limited setup"):
 *
 *   1. make the 2B views once, then embed them in passes of c images (2c views) without a gradient
 *      tape, so no activations are kept: z [2B, p];
 *   2. NT-Xent over all 2B projections and its gradient dL/dz [2B, p] (the loss is the whole batch's);
 *   3. per pass, run the same views forward again with the tape and back-propagate the cached dL/dz
 *      (the gradient of sum(z_pass * dz_pass)), summing the parameter gradients;
 *   4. one optimizer step with the summed gradients.
 *
 * The loss and the weight gradients are those of the whole batch, given each pass's forward. BatchNorm
 * normalizes with the statistics of its pass (as per-device BatchNorm in SimCLR's multi-device runs),
 * so a pass sees both views of its c images. Moving statistics are updated in step 3 only, with momentum
 * m^(1/passes) per pass: after P passes the old value keeps weight m, as after one whole-batch step, and
 * the new weight 1 - m is shared among the passes (later passes a little more), so the moving averages
 * move as far per optimizer step as they do at the same batch in one pass; one update per view instead
 * would need per-view statistics, which BatchNorm does not have. Step 1's passes update nothing
 * (momentum 1).
 *
 * Memory: one pass's activations at a time, plus the views, z, dL/dz and one set of gradients.
 * Cost: one extra forward pass over the batch (about a third more than a one-pass step).
 */
export function chunkedTrainStep(
  model: SimclrModel,
  optimizer: Optimizer,
  input: StepInputs,
  passes: number,
  keepProjections: boolean,
): StepOutputs {
  if (passes <= 1) return trainStep(model, optimizer, input, keepProjections);
  let projections: tf.Tensor2D | null = null;
  let representations: tf.Tensor2D | null = null;
  const loss = tf.tidy(() => {
    // The augmentation's intermediates go before the passes start.
    const views = makeViews(input, passes);
    const step = cachedGradients(model, views, passes, input.temperature, keepProjections);
    if (step.projections && step.representations) {
      projections = tf.keep(step.projections);
      representations = tf.keep(step.representations);
    }
    // 4. One optimizer step.
    optimizer.apply(step.grads, input.learningRate);
    return step.loss;
  });
  return { loss, projections, representations };
}

export interface CachedGradients {
  loss: tf.Scalar;
  /** Gradients of the whole batch's loss, in the order of model.params. */
  grads: tf.Tensor[];
  projections: tf.Tensor2D | null;
  representations: tf.Tensor2D | null;
}

/**
 * Steps 1-3: the whole batch's loss and parameter gradients from passes of about B / passes images.
 * Call inside tf.tidy (the results are ordinary tensors of that scope).
 *
 * @param views [2B, s, s, 3]: first views of images 0..B-1, then their second views
 */
export function cachedGradients(
  model: SimclrModel,
  views: tf.Tensor4D,
  passes: number,
  temperature: number,
  keepProjections: boolean,
): CachedGradients {
  const batch = views.shape[0] / 2;
  const ranges = passRanges(batch, passes);
  const bn = batchNormLayers(model);
  const momentum = bn.map((layer) => layer.momentum);

  // 1. Embed every view in passes, no tape: only z (and h when the health views want it) survive a pass.
  setMomentum(bn, () => 1);
  let z: tf.Tensor2D;
  let h: tf.Tensor2D | null = null;
  try {
    const parts = ranges.map(([start, size]) =>
      tf.tidy(() => {
        const hPass = model.encoder.run(passViews(views, batch, start, size) as tf.Tensor, true) as tf.Tensor2D;
        const zPass = model.head.run(hPass, true) as tf.Tensor2D;
        return keepProjections ? [zPass, hPass] : [zPass];
      }),
    );
    z = unpair(parts.map((p) => p[0]!));
    if (keepProjections) h = unpair(parts.map((p) => p[1]!));
  } finally {
    setMomentum(bn, (i) => momentum[i]!);
  }

  // 2. The whole batch's loss and dL/dz.
  const { value, grad } = tf.valueAndGrad((zAll: tf.Tensor) => ntXent(zAll as tf.Tensor2D, temperature))(z);
  const [dz1, dz2] = tf.split(grad, 2, 0) as [tf.Tensor2D, tf.Tensor2D];

  // 3. Per pass: forward with the tape, back-propagate dL/dz of the pass's views, sum the gradients.
  const variables = model.params.map((p) => p.variable);
  let sums: tf.Tensor[] | null = null;
  setMomentum(bn, (i) => momentum[i]! ** (1 / ranges.length));
  try {
    for (const [start, size] of ranges) {
      const passGrads = tf.tidy(() => {
        const x = passViews(views, batch, start, size);
        const dz = tf.concat([tf.slice(dz1, [start, 0], [size, -1]), tf.slice(dz2, [start, 0], [size, -1])], 0);
        const { grads } = tf.variableGrads(() => {
          const zPass = model.head.run(model.encoder.run(x as tf.Tensor, true), true) as tf.Tensor2D;
          return tf.sum(tf.mul(zPass, dz)) as tf.Scalar;
        }, variables);
        return variables.map((v) => grads[v.name]!);
      });
      if (sums === null) sums = passGrads;
      else {
        const previous: tf.Tensor[] = sums;
        sums = previous.map((s, i) => tf.add(s, passGrads[i]!));
        tf.dispose([...previous, ...passGrads]);
      }
    }
  } finally {
    setMomentum(bn, (i) => momentum[i]!);
  }
  return { loss: value as tf.Scalar, grads: sums!, projections: keepProjections ? z : null, representations: h };
}

/**
 * [2B, s, s, 3] views in the step's order (first views of images 0..B-1, then their second views); made
 * chunk by chunk where the input can, so only one chunk's augmentation intermediates are alive at a time.
 */
function makeViews(input: StepInputs, passes: number): tf.Tensor4D {
  if ('augment' in input) {
    const { augmentImages } = input;
    if (!augmentImages || passes <= 1) return tf.tidy(() => input.augment());
    const ranges = passRanges(augmentImages.batch, passes);
    const parts = ranges.map(([start, size]) => tf.tidy(() => augmentImages.views(start, size)));
    const views = tf.tidy(() => unpair(parts));
    tf.dispose(parts);
    return views;
  }
  return augmentViews(
    tf.div(tf.cast(input.images, 'float32'), 255) as tf.Tensor4D,
    pairedSourceIndex(input.images.shape[0]),
    input.views,
    input.viewSize,
  );
}

/** NT-Xent of z [2B, p] (views i and i + B are a pair), with the fused WebGPU kernel where it is enabled. */
function ntXent(z: tf.Tensor2D, temperature: number): tf.Scalar {
  if (isCustomKernelEnabled(NT_XENT_ID) && tf.getBackend() === 'webgpu') return fusedNtXentLoss(z, temperature);
  const [z1, z2] = tf.split(z, 2, 0) as [tf.Tensor2D, tf.Tensor2D];
  return ntXentLoss(z1, z2, temperature);
}

/** [start, size] image ranges of `passes` passes as even as possible (sizes differ by at most one). */
export function passRanges(batch: number, passes: number): [number, number][] {
  const count = Math.min(batch, Math.max(1, passes));
  const ranges: [number, number][] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const size = Math.floor(batch / count) + (i < batch % count ? 1 : 0);
    ranges.push([start, size]);
    start += size;
  }
  return ranges;
}

/** Both views of images start..start+size-1: [2 size, s, s, 3], first views then second views. */
function passViews(views: tf.Tensor4D, batch: number, start: number, size: number): tf.Tensor4D {
  const [, s, w, c] = views.shape;
  return tf.concat(
    [tf.slice(views, [start, 0, 0, 0], [size, s, w, c]), tf.slice(views, [batch + start, 0, 0, 0], [size, s, w, c])],
    0,
  );
}

/** Per-pass outputs [2 size_k, ...] (first views, then second views) back into the step's [2B, ...] order. */
function unpair<T extends tf.Tensor>(parts: T[]): T {
  const firsts: T[] = [];
  const seconds: T[] = [];
  for (const part of parts) {
    const [a, b] = tf.split(part, 2, 0) as [T, T];
    firsts.push(a);
    seconds.push(b);
  }
  return tf.concat([...firsts, ...seconds], 0);
}

interface BatchNormMomentum {
  momentum: number;
}

/** The encoder's and head's BatchNorm layers (their `momentum` is read on every training-mode call). */
function batchNormLayers(model: SimclrModel): BatchNormMomentum[] {
  return [...model.encoder.layers, ...model.head.layers].filter(
    (layer) => layer.getClassName() === 'BatchNormalization',
  ) as unknown as BatchNormMomentum[];
}

function setMomentum(layers: BatchNormMomentum[], value: (i: number) => number): void {
  layers.forEach((layer, i) => {
    layer.momentum = value(i);
  });
}
