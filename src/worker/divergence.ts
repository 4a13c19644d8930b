import type { FailureKind } from '../protocol/messages';

/** Thrown when a loss read back from the GPU is NaN or Infinity: the run stops and is not trained on garbage. */
export class TrainingDivergedError extends Error {
  override name = 'TrainingDivergedError';
  readonly kind: FailureKind = 'diverged';

  constructor(
    readonly step: number,
    readonly value: number,
  ) {
    super(
      `The loss became ${value} at step ${step}: training diverged. Lower the learning rate or raise the temperature, then start again.`,
    );
  }
}
