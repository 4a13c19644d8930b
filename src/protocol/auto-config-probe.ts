/**
 * The probe that feeds auto-configuration: what the UI asks the worker for, what comes back, and the
 * pure rule for which candidate to time next and when to stop (worker/probe.ts runs the steps).
 */
import {
  type Candidate,
  type ChoiceInput,
  type CostedCandidate,
  chooseConfig,
  type DatasetShape,
  type DeviceLimits,
  describeCandidate,
  memoryProblem,
  type ProbeFailure,
  predictRun,
  predictStepSeconds,
  runSteps,
  type StepMeasurement,
} from './auto-config';
import type { BackendName, TrainConfig } from './config';
import type { EvalSchedule } from './run-eta';

export interface ProbeRequest {
  /** The person's config: every trial step uses its head, stem, optimizer, augmentation and duration. */
  base: TrainConfig;
  timeBudgetSeconds: number;
  /** Wall-clock limit of the whole probe; the smallest candidate is always timed. */
  probeSeconds: number;
  /** Fields the person set by hand: every size timed keeps them (a batch above the data set is lowered to it). */
  fixed?: Partial<Candidate>;
  /** The run's embedding passes, counted in the predicted run time. */
  evaluation?: EvalSchedule;
}

export interface ProbeProgress {
  /** Candidates timed or tried so far. */
  tried: number;
  /** The candidate being timed now (or the last one), as text. */
  message: string;
  elapsedSeconds: number;
  /** Timing sizes to choose from, or timing the pick itself (it had been extrapolated). */
  stage: 'timing' | 'confirming';
  candidate: Candidate;
  /** The step running now, 1-based, of `steps` for this size; step 1 is the untimed warm-up. */
  step: number;
  steps: number;
}

export interface ProbeResult {
  backend: BackendName;
  limits: DeviceLimits;
  /** The data set the worker holds (its image count and stored side). */
  data: DatasetShape;
  measurements: StepMeasurement[];
  failures: ProbeFailure[];
  /** Why the probe stopped where it did. */
  stopReason: string;
  cancelled: boolean;
  elapsedSeconds: number;
}

/** Timed steps per candidate, after one untimed warm-up step. */
export const TIMED_STEPS = 2;
/** At most this many candidates are timed. */
export const MAX_PROBED = 6;
/** A candidate predicted to take this many times the budget is not worth timing. */
const OVER_BUDGET_SLACK = 2;
/** Default wall-clock limit of the probe (a few seconds on a real GPU). */
export const DEFAULT_PROBE_SECONDS = 8;
export const DEFAULT_TIME_BUDGET_MINUTES = 10;

export interface ProbeState {
  list: readonly CostedCandidate[];
  limits: DeviceLimits;
  data: DatasetShape;
  request: ProbeRequest;
  measurements: readonly StepMeasurement[];
  failures: readonly ProbeFailure[];
  /** Index in `list` of the last candidate tried (-1 before any). */
  lastIndex: number;
  elapsedSeconds: number;
}

export type ProbeDecision = { kind: 'measure'; index: number } | { kind: 'stop'; reason: string };

const label = (c: CostedCandidate) => describeCandidate(c.candidate);

/**
 * The step time used to decide whether to time `next`. With a single timing, half of it is taken as
 * fixed overhead: a guess on the optimistic side, so that a fast GPU, whose tiny-model step is mostly
 * kernel-launch overhead, is not judged by that (the choice itself uses the pessimistic fit).
 */
function probeEstimate(next: CostedCandidate, measurements: readonly StepMeasurement[]): number {
  const only = measurements[0];
  if (measurements.length === 1 && only) {
    return (only.secondsPerStep / 2) * (1 + next.cost.flopsPerStep / only.flopsPerStep);
  }
  return predictStepSeconds(next.candidate, next.cost.flopsPerStep, measurements)?.seconds ?? Number.POSITIVE_INFINITY;
}

/**
 * Which candidate to time next, smallest first: stop after a failure (out of memory or another error),
 * when the last one timed is already over the budget, when the next one is predicted to be far over
 * it, or when the probe's time would run out. Candidates over the memory limits are never tried.
 */
export function nextProbe(state: ProbeState): ProbeDecision {
  const { list, limits, request, measurements, failures } = state;
  const duration = request.base.duration;
  const tried = measurements.length + failures.length;
  const lastFailure = failures[failures.length - 1];
  if (lastFailure) {
    const which = measurements.length === 0 ? 'The smallest size' : 'The next size up';
    const what = lastFailure.outOfMemory ? 'ran out of memory' : `failed (${lastFailure.message})`;
    return { kind: 'stop', reason: `${which} ${what}.` };
  }
  const last = measurements[measurements.length - 1];
  if (last) {
    const run = predictRun(
      last.candidate,
      request.base,
      measurements,
      duration,
      state.data.imageCount,
      request.evaluation,
    );
    if (run && run.etaSeconds > request.timeBudgetSeconds)
      return { kind: 'stop', reason: 'The last size timed is already over the time budget.' };
  }
  if (tried >= MAX_PROBED) return { kind: 'stop', reason: `Timed ${tried} sizes.` };
  let index = state.lastIndex + 1;
  while (index < list.length && memoryProblem(list[index]!.candidate, request.base, limits)) index++;
  const next = list[index];
  if (!next) return { kind: 'stop', reason: 'Every size that fits the memory limits was timed.' };
  if (!last) return { kind: 'measure', index };
  const secondsPerStep = probeEstimate(next, measurements);
  const etaSeconds = secondsPerStep * runSteps(next.candidate.batchSize, duration, state.data.imageCount);
  if (etaSeconds > OVER_BUDGET_SLACK * request.timeBudgetSeconds)
    return { kind: 'stop', reason: `The next size up (${label(next)}) is predicted to be far over the time budget.` };
  const probeCost = last.firstStepSeconds + TIMED_STEPS * secondsPerStep;
  if (state.elapsedSeconds + probeCost > request.probeSeconds)
    return {
      kind: 'stop',
      reason: `Timing the next size up (${label(next)}) would take the probe past ${request.probeSeconds} s; larger sizes are extrapolated from FLOPs.`,
    };
  return { kind: 'measure', index };
}

/** At most this many picks are timed themselves after the climb. */
export const MAX_CONFIRMATIONS = 2;

/**
 * The pick to time itself, or null: after the climb, a pick extrapolated by FLOPs from smaller sizes is
 * timed (its step time can be several times off: memory traffic, kernels tuned for other shapes), then
 * the choice is made again with that measurement, at most MAX_CONFIRMATIONS times.
 */
export function pickToConfirm(input: ChoiceInput, confirmed: number): Candidate | null {
  if (confirmed >= MAX_CONFIRMATIONS) return null;
  const choice = chooseConfig(input);
  return choice && choice.basis === 'extrapolated' ? choice.candidate : null;
}
