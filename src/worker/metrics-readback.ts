import * as tf from '@tensorflow/tfjs';
import { batchSimilarity, takeLeadingImages } from '../core/train/batch-similarity';
import type { HealthPayload } from '../protocol/evaluation';
import type { WorkerEvent } from '../protocol/messages';
import { TrainingDivergedError } from './divergence';
import { readHealth, startHealth } from './health-metrics';
import type { RunSpeed } from './run-speed';

/** Side of the similarity heat map in images (2x this in views). */
const HEATMAP_IMAGES = 32;
/** The health and similarity views read the first this many images of a batch (no B x B matrices at batch 1,024). */
const HEALTH_IMAGES = 256;

/** What a metrics step reads back: the losses since the last read-back and the last batch's figures. */
export interface MetricsReadback {
  /** Step number (1-based) of losses[0]. */
  firstStep: number;
  losses: Float32Array;
  /** Mean cosine similarity of positive and of negative pairs (NaN without projections). */
  positive: number;
  negative: number;
  /** Similarity matrix of the leading images' views, size x size (empty without projections). */
  matrix: Float32Array;
  size: number;
  health: HealthPayload | undefined;
}

/**
 * Reads back the losses of the steps from `firstStep` on and, given the last step's projections z [2B, p]
 * and representations h [2B, d], its similarity and health figures. Frees every tensor passed in. Throws
 * TrainingDivergedError naming the first step whose loss is not finite.
 */
export async function readBackMetrics(
  losses: tf.Scalar[],
  firstStep: number,
  projections: tf.Tensor2D | null,
  representations: tf.Tensor2D | null,
): Promise<MetricsReadback> {
  // Big batches: the health and similarity views use the first HEALTH_IMAGES images' views.
  projections = projections && takeLeadingImages(projections, HEALTH_IMAGES);
  representations = representations && takeLeadingImages(representations, HEALTH_IMAGES);
  const pendingHealth = projections && representations ? startHealth(projections, representations) : null;
  representations?.dispose();
  const healthRead = pendingHealth ? readHealth(pendingHealth) : Promise.resolve(undefined);
  const similarity = projections ? batchSimilarity(projections, HEATMAP_IMAGES) : null;
  projections?.dispose();
  const stacked = tf.stack(losses);
  tf.dispose(losses);
  // GPU-to-CPU sync: the only read-back in the loop, every metricsEvery steps (and once when a saved run stops).
  const [lossValues, positive, negative, matrix] = await Promise.all([
    stacked.data() as Promise<Float32Array>,
    similarity ? similarity.positive.data() : Promise.resolve(Float32Array.of(Number.NaN)),
    similarity ? similarity.negative.data() : Promise.resolve(Float32Array.of(Number.NaN)),
    similarity ? (similarity.matrix.data() as Promise<Float32Array>) : Promise.resolve(new Float32Array(0)),
  ]);
  const health = await healthRead;
  const size = similarity ? similarity.matrix.shape[0] : 0;
  tf.dispose(stacked);
  if (similarity) tf.dispose([similarity.positive, similarity.negative, similarity.matrix]);
  const bad = lossValues.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new TrainingDivergedError(firstStep + bad, lossValues[bad]!);
  return {
    firstStep,
    losses: lossValues,
    positive: positive[0] ?? Number.NaN,
    negative: negative[0] ?? Number.NaN,
    matrix,
    size,
    health,
  };
}

/** The metrics event of a read-back, with the buffers it transfers. */
export function metricsEvent(
  read: MetricsReadback,
  learningRates: Float32Array,
  speed: RunSpeed,
): [WorkerEvent, Transferable[]] {
  const { health } = read;
  const event: WorkerEvent = {
    type: 'metrics',
    firstStep: read.firstStep,
    losses: read.losses,
    learningRates,
    imagesPerSecond: speed.imagesPerSecond,
    etaSeconds: speed.etaSeconds,
    positiveSimilarity: read.positive,
    negativeSimilarity: read.negative,
    similarity: read.matrix,
    similaritySize: read.size,
    ...(health ? { health } : {}),
  };
  const transfer = [
    read.losses.buffer,
    learningRates.buffer,
    read.matrix.buffer,
    ...(health ? [health.positiveHistogram.buffer, health.negativeHistogram.buffer] : []),
  ];
  return [event, transfer];
}
