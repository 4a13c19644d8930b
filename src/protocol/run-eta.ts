/**
 * A run's remaining time, one rule for the prediction at auto-configure's pick and for the ETA during the
 * run: the steps still to train x seconds per step, plus the embedding passes still to come (worker/
 * evaluation.ts: one before step 1, one every `embedEvery` steps, one after the last step) x the seconds a
 * pass takes. The step time is measured (the probe's timed steps, then the worker's step clock, which
 * leaves out warm-up steps, pauses and the passes themselves); a pass's time is measured once one has run,
 * and before that estimated from the step time. Pure, so the arithmetic is tested by itself.
 */

/** When the embedding map is computed, and over how many images (protocol/evaluation.ts's EvalConfig). */
export interface EvalSchedule {
  /** A pass every this many steps (0: only before and after the run). */
  embedEvery: number;
  /** Images embedded per pass: the data set, capped at EvalConfig.maxImages. */
  sampleImages: number;
}

/**
 * Forward passes of one image that a training step of batch B costs: 2B views, each a forward and a
 * backward pass (about twice the forward's work), so 6B. A pass embeds each image once, forward only.
 */
const FORWARDS_PER_IMAGE_IN_A_STEP = 6;

/** A pass's seconds estimated from the step time, before one has been measured. */
export function estimatedPassSeconds(secondsPerStep: number, batchSize: number, sampleImages: number): number {
  if (!(batchSize > 0)) return 0;
  return (secondsPerStep * sampleImages) / (FORWARDS_PER_IMAGE_IN_A_STEP * batchSize);
}

/**
 * Embedding passes still to come after `step` steps of `total`: those started every `embedEvery` steps
 * before the last step, the final one after it, and (`beforeFirstStep`) the one before step 1.
 */
export function remainingPasses(step: number, total: number, embedEvery: number, beforeFirstStep = false): number {
  if (step >= total) return 0;
  const periodic =
    embedEvery > 0 ? Math.max(0, Math.floor((total - 1) / embedEvery) - Math.floor(step / embedEvery)) : 0;
  return periodic + 1 + (beforeFirstStep ? 1 : 0);
}

export interface EtaInput {
  step: number;
  total: number;
  batchSize: number;
  /** Measured seconds per training step (null while not yet measured). */
  secondsPerStep: number | null;
  schedule: EvalSchedule;
  /** Measured seconds of the last embedding pass (null: estimated from the step time). */
  passSeconds: number | null;
  /** The pass before step 1 is still to come (a prediction made before the run starts). */
  beforeFirstStep?: boolean;
}

export interface Eta {
  seconds: number;
  /** Of which training steps, and embedding passes. */
  stepSeconds: number;
  passSeconds: number;
  passes: number;
  /** Whether the pass time was measured (or estimated from the step time). */
  passMeasured: boolean;
}

/** The remaining time, or null while the step time is not measured yet. */
export function runEta(input: EtaInput): Eta | null {
  const { step, total, secondsPerStep, schedule, batchSize } = input;
  if (secondsPerStep === null || !Number.isFinite(secondsPerStep) || secondsPerStep < 0) return null;
  const steps = Math.max(0, total - step);
  const passes = remainingPasses(step, total, schedule.embedEvery, input.beforeFirstStep ?? false);
  const passMeasured = input.passSeconds !== null && Number.isFinite(input.passSeconds);
  const perPass = passMeasured
    ? (input.passSeconds as number)
    : estimatedPassSeconds(secondsPerStep, batchSize, schedule.sampleImages);
  const stepSeconds = steps * secondsPerStep;
  const passSeconds = passes * perPass;
  return { seconds: stepSeconds + passSeconds, stepSeconds, passSeconds, passes, passMeasured };
}

/** Images per second of training at `secondsPerStep` (null while not measured). */
export function imagesPerSecond(batchSize: number, secondsPerStep: number | null): number | null {
  return secondsPerStep !== null && secondsPerStep > 0 ? batchSize / secondsPerStep : null;
}
