import { MIN_CHUNK_IMAGES, type TrainConfig } from '../protocol/config';
import type { FailureKind } from '../protocol/messages';
import { formatBytes, type PlanResult } from '../protocol/step-memory';

/**
 * A training step that cannot fit the backend's memory, even in chunks of two images, or in the chunk the
 * person set: said before any step runs.
 */
export class StepDoesNotFitError extends Error {
  override name = 'StepDoesNotFitError';
  readonly kind: FailureKind = 'out-of-memory';
  constructor(
    message: string,
    /** A batch size whose step fits (0: none at this image size and width). */
    readonly fittingBatch: number,
  ) {
    super(message);
  }
}

/** What to tell a person whose step does not fit: the setting at fault and a value that fits. */
export function stepDoesNotFitMessage(
  config: Pick<TrainConfig, 'batchSize' | 'imageSize' | 'widthMultiplier' | 'chunkSize'>,
  result: Extract<PlanResult, { fits: false }>,
  backendLabel: string,
): string {
  const perImage = formatBytes(result.bytesPerImage);
  const room = `${result.source} leaves ${formatBytes(result.budgetBytes)}`;
  if (result.largestChunk !== null) {
    const fix = result.largestChunk >= 2 ? `Set Chunk to ${result.largestChunk} (or auto)` : 'Set Chunk to auto';
    return (
      `Chunk ${config.chunkSize} does not fit in memory on ${backendLabel}: each image of a chunk needs about ` +
      `${perImage} and ${room} after the loss over the whole batch. ${fix}, then Start again.`
    );
  }
  if (result.largestBatch >= 2) {
    return (
      `Batch size ${config.batchSize} does not fit in memory on ${backendLabel}: the loss over all ` +
      `${2 * config.batchSize} views and a chunk of ${MIN_CHUNK_IMAGES} images (${perImage} each) need more than ${room}. ` +
      `Set the batch size to ${result.largestBatch} or lower, then Start again.`
    );
  }
  return (
    `Even a chunk of ${MIN_CHUNK_IMAGES} images does not fit in memory on ${backendLabel} at ${config.imageSize} px ` +
    `and width ${config.widthMultiplier}: each image needs about ${perImage} and ${room}. ` +
    'Lower the image size or the width multiplier, then Start again.'
  );
}
