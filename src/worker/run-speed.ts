import { type EvalSchedule, imagesPerSecond, runEta } from '../protocol/run-eta';

/** What the ETA needs of the embedding map's passes (worker/evaluation.ts supplies it). */
export interface EvaluationTiming {
  schedule: EvalSchedule;
  /** Measured seconds of the last pass (null before one was timed). */
  passSeconds: number | null;
}

export interface RunSpeed {
  imagesPerSecond: number | null;
  etaSeconds: number | null;
}

/**
 * Images/s and the time left (protocol/run-eta.ts) at the step clock's `secondsPerStep`, with the
 * embedding passes still to come; both null until a step has been timed.
 */
export function runSpeed(
  progress: { step: number; total: number; batchSize: number },
  secondsPerStep: number | null,
  evaluation: EvaluationTiming | null,
): RunSpeed {
  const eta = runEta({
    ...progress,
    secondsPerStep,
    schedule: evaluation?.schedule ?? { embedEvery: 0, sampleImages: 0 },
    passSeconds: evaluation?.passSeconds ?? null,
  });
  return { imagesPerSecond: imagesPerSecond(progress.batchSize, secondsPerStep), etaSeconds: eta?.seconds ?? null };
}
