/**
 * Auto-configuration: the encoder, width, image size and batch size that fit this device's limits and
 * the person's time budget. Pure: the worker's probe (worker/probe.ts) times real steps of the smallest
 * candidates; this module turns the device limits, the data set and those timings into a choice and a
 * predicted ETA. The store runs the choice again when the budget changes, without probing again.
 *
 * Costs come from architecture.ts's plan: FLOPs per step for the time; the memory from step-memory.ts's
 * planner, the one a run uses, so a batch too large for one pass is timed and trained in passes. Step
 * time is modelled as overhead + FLOPs x seconds-per-FLOP, fitted to the measurements; a step in
 * passes costs about a third more (one more forward pass), which only the timing of the pick itself
 * (pickToConfirm) sees.
 */
import { summarizeArchitecture } from './architecture';
import { type DatasetShape, fitToData, LADDER } from './auto-config-ladder';
import type { EncoderName, TrainConfig, TrainDuration } from './config';
import { MIN_CHUNK_IMAGES, stepsPerEpoch, totalSteps } from './config';
import { type EvalSchedule, runEta } from './run-eta';
import {
  largestActivationFloats,
  lossBytes,
  type MemoryLimits,
  type PlanResult,
  planStep,
  type StepPlan,
} from './step-memory';

/** The config fields auto-configuration picks. */
export interface Candidate {
  encoder: EncoderName;
  widthMultiplier: number;
  imageSize: number;
  batchSize: number;
}

export type AutoField = keyof Candidate;
export { batchCap, type DatasetShape, fitToData, LADDER } from './auto-config-ladder';
export const AUTO_FIELDS: readonly AutoField[] = ['encoder', 'widthMultiplier', 'imageSize', 'batchSize'];

/** The rest of the config that changes a candidate's cost; it stays as the person set it. */
export type ModelContext = Pick<TrainConfig, 'stem' | 'projectionHead' | 'projectionHidden' | 'projectionDim'> &
  Partial<Pick<TrainConfig, 'chunkSize'>>;

const ENCODER_NAMES: Record<EncoderName, string> = {
  'resnet-small': 'Small ResNet',
  resnet18: 'ResNet-18',
  resnet34: 'ResNet-34',
  resnet50: 'ResNet-50',
};

/** 'ResNet-18 ×0.5, 32 px, batch 1,024' */
export function describeCandidate(c: Candidate): string {
  return `${ENCODER_NAMES[c.encoder]} ×${c.widthMultiplier}, ${c.imageSize} px, batch ${c.batchSize.toLocaleString('en')}`;
}

export function sameCandidate(a: Candidate, b: Candidate): boolean {
  return (
    a.encoder === b.encoder &&
    a.widthMultiplier === b.widthMultiplier &&
    a.imageSize === b.imageSize &&
    a.batchSize === b.batchSize
  );
}

export interface CandidateCost {
  /** Forward + backward FLOPs of one step (2 x batch views), taken as 3x the forward pass. */
  flopsPerStep: number;
  /** Weights, gradients and two optimizer slots, float32. */
  paramBytes: number;
}

export function candidateCost(candidate: Candidate, context: ModelContext): CandidateCost {
  const summary = summarizeArchitecture({ ...context, ...candidate });
  const views = 2 * candidate.batchSize;
  const headFlops = 2 * summary.headParams;
  return {
    flopsPerStep: 3 * views * (summary.encoderFlops + headFlops),
    paramBytes: 4 * 4 * (summary.encoderParams + summary.headParams),
  };
}

export interface CostedCandidate {
  candidate: Candidate;
  cost: CandidateCost;
}

/** The ladder fitted to the data set (and the person's fixed fields), deduplicated, cheapest step first. */
export function candidateList(
  data: DatasetShape,
  context: ModelContext,
  fixed: Partial<Candidate> = {},
): CostedCandidate[] {
  const list: CostedCandidate[] = [];
  for (const rung of LADDER) {
    const candidate = fitToData(rung, data, fixed);
    if (list.some((c) => sameCandidate(c.candidate, candidate))) continue;
    list.push({ candidate, cost: candidateCost(candidate, context) });
  }
  return list.sort((a, b) => a.cost.flopsPerStep - b.cost.flopsPerStep);
}

/**
 * What the device allows a step (protocol/step-memory.ts's limits before any weights): the probe plans
 * each candidate's step with the same planner as a run, so a batch too large for one pass is timed,
 * and trained, in passes.
 */
export type DeviceLimits = MemoryLimits;

/** How `candidate`'s step fits the device after its weights: its passes, or the largest batch that fits. */
export function candidateStep(candidate: Candidate, context: ModelContext, limits: DeviceLimits): PlanResult {
  const { paramBytes } = candidateCost(candidate, context);
  const budgetBytes = Math.max(0, limits.budgetBytes - paramBytes);
  return planStep(
    { ...candidate, stem: context.stem, chunkSize: context.chunkSize ?? null },
    { ...limits, budgetBytes },
  );
}

/** Estimated bytes of one pass of `candidate`'s step, the loss included (Infinity when none fits). */
export function passBytes(candidate: Candidate, context: ModelContext, limits: DeviceLimits): number {
  const step = candidateStep(candidate, context, limits);
  return step.fits
    ? step.plan.passBytes + lossBytes(candidate.batchSize, candidate.imageSize)
    : Number.POSITIVE_INFINITY;
}

/**
 * Why `candidate` cannot run on the device even two images per chunk, or null when it can: the memory in
 * all ('total': the smallest chunk and the loss over the whole batch), one tensor ('tensor'), or the
 * chunk the person set ('chunk': its images and the loss).
 */
export type MemoryProblem = {
  kind: 'tensor' | 'total' | 'chunk';
  needBytes: number;
  limitBytes: number;
  /** The largest batch whose step fits (0: none). */
  largestBatch: number;
} | null;

export function memoryProblem(candidate: Candidate, context: ModelContext, limits: DeviceLimits): MemoryProblem {
  const step = candidateStep(candidate, context, limits);
  if (step.fits) return null;
  const loss = lossBytes(candidate.batchSize, candidate.imageSize);
  if (step.largestChunk !== null) {
    const need = (context.chunkSize ?? 1) * step.bytesPerImage + loss;
    return { kind: 'chunk', needBytes: need, limitBytes: step.budgetBytes, largestBatch: step.largestBatch };
  }
  // The smallest chunk auto may plan: two images (three for some odd batches, core/train/chunked-step.ts).
  const chunk = Math.ceil(candidate.batchSize / Math.max(1, Math.floor(candidate.batchSize / MIN_CHUNK_IMAGES)));
  const total = chunk * step.bytesPerImage + loss;
  if (total > step.budgetBytes)
    return { kind: 'total', needBytes: total, limitBytes: step.budgetBytes, largestBatch: step.largestBatch };
  // The larger of the [2B, 2B] similarities and the smallest chunk's largest activation (two views an image).
  const tensor = Math.max(
    (2 * candidate.batchSize) ** 2 * 4,
    2 * chunk * largestActivationFloats({ ...candidate, stem: context.stem }) * 4,
  );
  return { kind: 'tensor', needBytes: tensor, limitBytes: limits.maxTensorBytes, largestBatch: step.largestBatch };
}

export interface StepMeasurement {
  candidate: Candidate;
  flopsPerStep: number;
  /** Mean of the timed steps, after one untimed warm-up step. */
  secondsPerStep: number;
  /** The warm-up step (shader compilation included). */
  firstStepSeconds: number;
  /** Passes the timed step was split into (worker/step-plan.ts, as a run splits it). */
  passes: number;
}

/** A candidate the probe tried that failed: out of memory, or another error. */
export interface ProbeFailure {
  candidate: Candidate;
  /** Estimated bytes of one pass of its step (passBytes): what ran out, when it ran out of memory. */
  passBytes: number;
  outOfMemory: boolean;
  message: string;
}

/** Step time = overheadSeconds + flops x secondsPerFlop. */
export interface StepTimeModel {
  overheadSeconds: number;
  secondsPerFlop: number;
}

/**
 * Fits the step-time model to the measurements. One point: time proportional to FLOPs (pessimistic
 * for larger steps when a fixed overhead dominates, so it errs towards smaller configs). Two or more:
 * the line through the two largest steps, the regime nearest the candidates above them.
 */
export function fitStepTime(measurements: readonly StepMeasurement[]): StepTimeModel | null {
  const points = measurements
    .filter((m) => m.flopsPerStep > 0 && Number.isFinite(m.secondsPerStep) && m.secondsPerStep > 0)
    .sort((a, b) => a.flopsPerStep - b.flopsPerStep);
  const last = points[points.length - 1];
  if (!last) return null;
  const proportional = { overheadSeconds: 0, secondsPerFlop: last.secondsPerStep / last.flopsPerStep };
  const before = points[points.length - 2];
  if (!before || before.flopsPerStep === last.flopsPerStep) return proportional;
  const slope = (last.secondsPerStep - before.secondsPerStep) / (last.flopsPerStep - before.flopsPerStep);
  const overhead = last.secondsPerStep - slope * last.flopsPerStep;
  if (!(slope > 0) || overhead < 0) return proportional;
  return { overheadSeconds: Math.min(overhead, before.secondsPerStep), secondsPerFlop: slope };
}

export type PredictionBasis = 'measured' | 'extrapolated';

/** Seconds per step of `candidate`: its own measurement when there is one, else the model's estimate. */
export function predictStepSeconds(
  candidate: Candidate,
  flopsPerStep: number,
  measurements: readonly StepMeasurement[],
): { seconds: number; basis: PredictionBasis } | null {
  const own = measurements.find((m) => sameCandidate(m.candidate, candidate));
  if (own) return { seconds: own.secondsPerStep, basis: 'measured' };
  const model = fitStepTime(measurements);
  if (!model) return null;
  return { seconds: model.overheadSeconds + flopsPerStep * model.secondsPerFlop, basis: 'extrapolated' };
}

/** Steps of a run of `duration` with this batch size over `imageCount` images (config.ts's rule). */
export function runSteps(batchSize: number, duration: TrainDuration, imageCount: number): number {
  return totalSteps({ batchSize, duration }, imageCount);
}

export interface Prediction {
  steps: number;
  secondsPerStep: number;
  /** The whole run: the steps, and the embedding passes before, during and after it (run-eta.ts). */
  etaSeconds: number;
  /** Embedding passes in the run, and the seconds they add (estimated from the step time). */
  passes: number;
  passSeconds: number;
  basis: PredictionBasis;
}

/** The run's predicted duration for `candidate` (null without any measurement); `schedule`: its embedding passes. */
export function predictRun(
  candidate: Candidate,
  context: ModelContext,
  measurements: readonly StepMeasurement[],
  duration: TrainDuration,
  imageCount: number,
  schedule: EvalSchedule = { embedEvery: 0, sampleImages: 0 },
): Prediction | null {
  const cost = candidateCost(candidate, context);
  const step = predictStepSeconds(candidate, cost.flopsPerStep, measurements);
  if (!step) return null;
  const steps = runSteps(candidate.batchSize, duration, imageCount);
  const eta = runEta({
    step: 0,
    total: steps,
    batchSize: candidate.batchSize,
    secondsPerStep: step.seconds,
    schedule,
    passSeconds: null,
    beforeFirstStep: true,
  });
  return {
    steps,
    secondsPerStep: step.seconds,
    etaSeconds: eta?.seconds ?? steps * step.seconds,
    passes: eta?.passes ?? 0,
    passSeconds: eta?.passSeconds ?? 0,
    basis: step.basis,
  };
}

export interface ChoiceInput {
  limits: DeviceLimits;
  measurements: readonly StepMeasurement[];
  failures: readonly ProbeFailure[];
  data: DatasetShape;
  context: ModelContext;
  duration: TrainDuration;
  timeBudgetSeconds: number;
  /** Fields the person set by hand: every candidate keeps them. */
  fixed?: Partial<Candidate>;
  /** The embedding passes of the run, counted in its predicted time. */
  evaluation?: EvalSchedule;
}

/** Why the next candidate up was not picked. */
export type Blocker =
  | { kind: 'slow'; candidate: Candidate; etaSeconds: number }
  | { kind: 'memory'; candidate: Candidate; problem: NonNullable<MemoryProblem> }
  | { kind: 'failed'; candidate: Candidate; outOfMemory: boolean; message: string }
  | { kind: 'largest' };

export interface AutoConfigChoice extends Prediction {
  candidate: Candidate;
  cost: CandidateCost;
  /** How its step is split into passes (null when it does not fit the device at all). */
  stepPlan: StepPlan | null;
  /** Sizes considered (1: the person set every field auto-configure picks). */
  considered: number;
  fitsBudget: boolean;
  /** Why nothing larger was picked. */
  next: Blocker;
  /** When the smallest candidate is over the budget: how many epochs (or steps) would fit. */
  fittingDuration: TrainDuration | null;
}

/** Why `c` cannot be picked, or null when it fits the device and the budget. */
function blocker(c: CostedCandidate, input: ChoiceInput, prediction: Prediction | null): Blocker | null {
  const memory = memoryProblem(c.candidate, input.context, input.limits);
  if (memory) return { kind: 'memory', candidate: c.candidate, problem: memory };
  // A candidate that failed in the probe, and any whose pass needs at least as much memory as one that ran out.
  const bytes = passBytes(c.candidate, input.context, input.limits);
  const failed = input.failures.find(
    (f) => sameCandidate(f.candidate, c.candidate) || (f.outOfMemory && bytes >= f.passBytes),
  );
  if (failed)
    return { kind: 'failed', candidate: c.candidate, outOfMemory: failed.outOfMemory, message: failed.message };
  if (!prediction || prediction.etaSeconds > input.timeBudgetSeconds)
    return { kind: 'slow', candidate: c.candidate, etaSeconds: prediction?.etaSeconds ?? Number.POSITIVE_INFINITY };
  return null;
}

/** The longest duration of `candidate` whose run, embedding passes included, fits the budget (at least 1). */
function fittingDuration(input: ChoiceInput, candidate: Candidate, secondsPerStep: number): TrainDuration {
  const steps = Math.floor(input.timeBudgetSeconds / secondsPerStep);
  const perEpoch = Math.max(1, stepsPerEpoch(input.data.imageCount, candidate.batchSize));
  const unit = input.duration.unit;
  let value = Math.max(1, unit === 'steps' ? steps : Math.floor(steps / perEpoch));
  const eta = (v: number) =>
    predictRun(
      candidate,
      input.context,
      input.measurements,
      { unit, value: v },
      input.data.imageCount,
      input.evaluation,
    )?.etaSeconds ?? 0;
  // The passes take some of the budget: shrink in proportion, then step down to what fits.
  const first = eta(value);
  if (first > input.timeBudgetSeconds) value = Math.max(1, Math.floor((value * input.timeBudgetSeconds) / first));
  while (value > 1 && eta(value) > input.timeBudgetSeconds) value--;
  return { unit, value };
}

/**
 * The largest candidate (by FLOPs per step) that fits the device's memory, did not fail in the probe,
 * and whose predicted run fits the time budget. When none fits the budget, the smallest that fits the
 * memory, with the duration that would fit. Null without any measurement.
 */
export function chooseConfig(input: ChoiceInput): AutoConfigChoice | null {
  const list = candidateList(input.data, input.context, input.fixed);
  const predictions = list.map((c) =>
    predictRun(c.candidate, input.context, input.measurements, input.duration, input.data.imageCount, input.evaluation),
  );
  const blockers = list.map((c, i) => blocker(c, input, predictions[i] ?? null));
  let index = -1;
  blockers.forEach((why, i) => {
    if (!why) index = i;
  });
  const fitsBudget = index >= 0;
  // Over budget whatever is picked: the smallest that the device can run (slow is the only objection).
  const firstSlow = blockers.findIndex((why) => why?.kind === 'slow');
  if (!fitsBudget) index = Math.max(0, firstSlow);
  const chosen = list[index];
  const prediction = predictions[index];
  if (!chosen || !prediction) return null;
  const next = blockers.slice(index + 1).find((why) => why !== null) ?? { kind: 'largest' };
  const step = candidateStep(chosen.candidate, input.context, input.limits);
  return {
    ...prediction,
    candidate: chosen.candidate,
    cost: chosen.cost,
    stepPlan: step.fits ? step.plan : null,
    considered: list.length,
    fitsBudget,
    next,
    fittingDuration: fitsBudget ? null : fittingDuration(input, chosen.candidate, prediction.secondsPerStep),
  };
}
