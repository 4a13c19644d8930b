import type * as tf from '@tensorflow/tfjs';
import { batchHealth, type HealthTensors } from '../core/eval/health';
import { collapseVerdict, type HealthPayload } from '../protocol/evaluation';

export interface PendingHealth {
  tensors: HealthTensors;
  dim: number;
}

/** Queues the health statistics of a metrics step's batch on the GPU (z [2N, p], h [2N, d]); nothing is read yet. */
export function startHealth(projections: tf.Tensor2D, representations: tf.Tensor2D): PendingHealth {
  return { tensors: batchHealth(projections, representations), dim: representations.shape[1] };
}

/** Reads the statistics back (small arrays: 2 x bins + 5 floats) and frees the tensors. */
export async function readHealth(pending: PendingHealth): Promise<HealthPayload> {
  const { positiveHistogram, negativeHistogram, scalars, representationStd } = pending.tensors;
  try {
    // GPU-to-CPU sync: once per metrics step, together with the losses.
    const [positive, negative, values, std] = await Promise.all([
      positiveHistogram.data() as Promise<Float32Array>,
      negativeHistogram.data() as Promise<Float32Array>,
      scalars.data(),
      representationStd.data(),
    ]);
    const representationStdValue = std[0] ?? Number.NaN;
    return {
      positiveHistogram: positive,
      negativeHistogram: negative,
      top1: values[0] ?? Number.NaN,
      top5: values[1] ?? Number.NaN,
      alignment: values[2] ?? Number.NaN,
      uniformity: values[3] ?? Number.NaN,
      representationStd: representationStdValue,
      representationDim: pending.dim,
      collapsed: collapseVerdict(representationStdValue, pending.dim, Number.NaN),
    };
  } finally {
    positiveHistogram.dispose();
    negativeHistogram.dispose();
    scalars.dispose();
    representationStd.dispose();
  }
}
