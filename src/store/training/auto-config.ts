/**
 * Auto-configuration in the training slice: the probe's progress and result, what was picked from it,
 * and which of the picked fields the person has set by hand (those are never changed by auto again).
 * The choice itself is protocol/auto-config.ts's; it is made again when the time budget changes.
 */
import {
  AUTO_FIELDS,
  type AutoConfigChoice,
  type AutoField,
  type Candidate,
  chooseConfig,
  type Prediction,
  predictRun,
} from '../../protocol/auto-config';
import { DEFAULT_TIME_BUDGET_MINUTES, type ProbeProgress, type ProbeResult } from '../../protocol/auto-config-probe';
import { CONFIG_LIMITS, capBatchToData, type TrainConfig } from '../../protocol/config';
import type { EvalSchedule } from '../../protocol/run-eta';
import { isWorkerCrash } from '../events';
import { type EventOf, unhandledEvent } from '../slice-events';

export interface AutoConfigState {
  status: 'idle' | 'probing' | 'done' | 'cancelled' | 'failed';
  /** The probe request the worker is answering (null when none was sent). */
  requestId: number | null;
  progress: ProbeProgress | null;
  result: ProbeResult | null;
  /** What auto picked from the result for the fields the person did not set. */
  choice: AutoConfigChoice | null;
  /** Fields the person set by hand: auto leaves them as they are, and picks the rest around them. */
  overridden: AutoField[];
  timeBudgetMinutes: number;
  error: string | null;
  /** Start was pressed while the probe ran with fields still auto: the run starts when the probe ends. */
  startWhenDone: boolean;
  /** The embedding passes the probe's prediction counts (from the evaluation settings when it was asked). */
  schedule: EvalSchedule | null;
  /** A batch set by hand that the pick lowered to the data set's size (null when none was). */
  batchLowered: { from: number; to: number } | null;
}

export const initialAutoConfigState = (): AutoConfigState => ({
  status: 'idle',
  requestId: null,
  progress: null,
  result: null,
  choice: null,
  overridden: [],
  timeBudgetMinutes: DEFAULT_TIME_BUDGET_MINUTES,
  error: null,
  startWhenDone: false,
  schedule: null,
  batchLowered: null,
});

/**
 * Start should wait for the probe: it is running and some of the fields it picks are still auto, or it
 * will lower a batch larger than the data set (`imageCount`).
 */
export function waitsForProbe(state: WithAuto, imageCount = 0): boolean {
  const { status, overridden } = state.auto;
  if (status !== 'probing') return false;
  return (
    AUTO_FIELDS.some((f) => !overridden.includes(f)) ||
    capBatchToData(state.config.batchSize, imageCount) < state.config.batchSize
  );
}

/** What the auto functions need of the training slice (kept narrow so state.ts only adds one field). */
export interface WithAuto {
  config: TrainConfig;
  auto: AutoConfigState;
}

/** The person edited `fields` of the config: auto keeps its hands off them from now on. */
export function markOverridden<S extends WithAuto>(state: S, fields: readonly string[]): S {
  const added = AUTO_FIELDS.filter((f) => fields.includes(f) && !state.auto.overridden.includes(f));
  if (added.length === 0) return state;
  return { ...state, auto: { ...state.auto, overridden: [...state.auto.overridden, ...added] } };
}

/** The fields the person set by hand, as the probe and the choice keep them. */
export function fixedFields(config: TrainConfig, overridden: readonly AutoField[]): Partial<Candidate> {
  return Object.fromEntries(overridden.map((f) => [f, config[f]])) as Partial<Candidate>;
}

/**
 * Picks again from the probe's result with the current budget, duration and overrides, and writes the
 * picked values into the config's fields that are still auto (unless `apply` is false: a run owns the
 * settings then).
 */
export function rechoose<S extends WithAuto>(state: S, apply: boolean): S {
  const { auto, config } = state;
  if (!auto.result || auto.result.cancelled) return state;
  const { result } = auto;
  const choice = chooseConfig({
    limits: result.limits,
    measurements: result.measurements,
    failures: result.failures,
    data: result.data,
    context: config,
    duration: config.duration,
    timeBudgetSeconds: auto.timeBudgetMinutes * 60,
    fixed: fixedFields(config, auto.overridden),
    ...(auto.schedule ? { evaluation: auto.schedule } : {}),
  });
  if (!choice) {
    const why = result.failures[0]?.message ?? result.stopReason;
    const error = `Auto-configure could not time a single training step on ${result.backend}: ${why}`;
    return { ...state, auto: { ...auto, choice: null, status: 'failed', error } };
  }
  const picked: Partial<Candidate> = {};
  for (const field of AUTO_FIELDS) {
    if (!auto.overridden.includes(field)) Object.assign(picked, { [field]: choice.candidate[field] });
  }
  // A batch set by hand above the data set's size is lowered to it (capBatchToData), and said so.
  const lowered = capBatchToData(config.batchSize, result.data.imageCount) < config.batchSize;
  if (lowered) picked.batchSize = choice.candidate.batchSize;
  const batchLowered =
    lowered && auto.overridden.includes('batchSize')
      ? { from: config.batchSize, to: choice.candidate.batchSize }
      : null;
  return {
    ...state,
    config: apply ? { ...config, ...picked } : config,
    auto: { ...auto, choice, status: 'done', error: null, batchLowered: apply ? batchLowered : auto.batchLowered },
  };
}

/** The worker events the auto-configure part of the training slice answers. */
export const AUTO_CONFIG_EVENTS = [
  'configProbeProgress',
  'configProbeDone',
  'runRestored',
  'imagesCleared',
  'error',
] as const;
export type AutoConfigEvent = EventOf<(typeof AUTO_CONFIG_EVENTS)[number]>;

/** Probe events (and errors answering the probe) into the slice; `locked` while a run owns the settings. */
export function autoConfigReducer<S extends WithAuto>(state: S, event: AutoConfigEvent, locked: boolean): S {
  const { auto } = state;
  switch (event.type) {
    case 'configProbeProgress':
      if (event.requestId !== auto.requestId) return state;
      return { ...state, auto: { ...auto, progress: { ...event } } };
    case 'configProbeDone': {
      if (event.requestId !== auto.requestId) return state;
      const { result } = event;
      if (result.cancelled) return { ...state, auto: { ...auto, status: 'cancelled', progress: null } };
      return rechoose({ ...state, auto: { ...auto, result, progress: null } }, !locked);
    }
    case 'runRestored':
      // The settings are now the saved run's own: a later probe keeps them (Reset to auto undoes this).
      return { ...state, auto: { ...auto, overridden: [...AUTO_FIELDS] } };
    case 'imagesCleared':
      return { ...state, auto: { ...auto, result: null, choice: null, status: 'idle', progress: null } };
    case 'error': {
      const answersProbe = auto.status === 'probing' && (event.requestId === auto.requestId || isWorkerCrash(event));
      if (!answersProbe) return state;
      return { ...state, auto: { ...auto, status: 'failed', progress: null, error: event.error.message } };
    }
    default:
      return unhandledEvent(event);
  }
}

/** The predicted run time of the settings as they are now (after any override), from the probe's timings. */
export function currentPrediction(state: WithAuto): Prediction | null {
  const { result } = state.auto;
  if (!result || result.cancelled) return null;
  const { config } = state;
  const { batchSize, imageSize } = CONFIG_LIMITS;
  if (!(config.batchSize >= batchSize.min && config.imageSize >= imageSize.min && config.widthMultiplier > 0))
    return null;
  const schedule = state.auto.schedule ?? undefined;
  return predictRun(config, config, result.measurements, config.duration, result.data.imageCount, schedule);
}
