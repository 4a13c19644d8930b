/** Training slice: config, the worker's run state, the last metric values, backend and model info. */
import type { BackendDecision } from '../../protocol/backend-comparison';
import { type BackendName, DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../../protocol/config';
import type { ModelSummary, StepPlanInfo, TrainPhase } from '../../protocol/messages';
import { isWorkerCrash } from '../events';
import { type EventOf, isOneOf, unhandledEvent } from '../slice-events';
import { AUTO_CONFIG_EVENTS, type AutoConfigState, autoConfigReducer, initialAutoConfigState } from './auto-config';
import { initialStartWeightsState, type StartWeightsState } from './start-weights-state';

export interface BackendStatus {
  state: 'starting' | 'ready' | 'failed';
  backend: BackendName | null;
  reason: string;
  adapterInfo: string;
  /** Our own kernels in use (see src/core/kernels). */
  customKernels: string[];
  /** How the backend was chosen: comparison timings, hardware, source (protocol/backend-comparison.ts). */
  decision: BackendDecision | null;
  /** While choosing (state 'starting'): what the worker is doing, e.g. 'Comparing backends: timing WebGL…'. */
  progress: string;
}

/** A command sent to the worker whose effect has not been confirmed by a 'trainState' event yet. */
export type PendingCommand = 'start' | 'pause' | 'resume' | 'stop' | 'continue' | null;

export interface LastMetrics {
  loss: number;
  learningRate: number;
  /** Null until the worker's step clock has timed a step (RunStatus says 'measuring…'). */
  imagesPerSecond: number | null;
  etaSeconds: number | null;
  positiveSimilarity: number;
  negativeSimilarity: number;
}

export interface TrainingState {
  config: TrainConfig;
  /** The worker's phase (only ever changed by its events, or by a crash). */
  phase: TrainPhase;
  pending: PendingCommand;
  step: number;
  /** Total steps of the current run as the worker computed them (0 before a run). */
  totalSteps: number;
  message: string;
  /** The worker can train the stopped run on (false once the images change). */
  canContinue: boolean;
  last: LastMetrics | null;
  model: ModelSummary | null;
  /** How the run's step is split into passes (a batch larger than memory allows in one pass). */
  stepPlan: StepPlanInfo | null;
  backend: BackendStatus;
  /** Auto-configuration: probe, choice and the fields the person overrode (training/auto-config.ts). */
  auto: AutoConfigState;
  /** The .safetensors file the next run's encoder starts from (training/start-weights.ts). */
  startWeights: StartWeightsState;
}

export const initialTrainingState = (): TrainingState => ({
  config: structuredClone(DEFAULT_TRAIN_CONFIG),
  phase: 'idle',
  pending: null,
  step: 0,
  totalSteps: 0,
  message: '',
  canContinue: false,
  last: null,
  model: null,
  stepPlan: null,
  backend: {
    state: 'starting',
    backend: null,
    reason: '',
    adapterInfo: '',
    customKernels: [],
    decision: null,
    progress: '',
  },
  auto: initialAutoConfigState(),
  startWeights: initialStartWeightsState(),
});

const ACTIVE: readonly TrainPhase[] = ['preparing', 'running', 'paused', 'stopping'];

/** A run exists and owns the dataset and settings. */
export function isRunActive(phase: TrainPhase): boolean {
  return ACTIVE.includes(phase);
}

export interface ControlState {
  canStart: boolean;
  canPause: boolean;
  canResume: boolean;
  canStop: boolean;
  /** Continue a run stopped before its end, from where it stopped. */
  canContinue: boolean;
}

/** Which run controls are enabled (Start also needs a valid config: see selectors). */
export function controlState(state: Pick<TrainingState, 'phase' | 'pending' | 'canContinue'>): ControlState {
  const { phase, pending } = state;
  const idle = pending === null;
  return {
    canStart: idle && !isRunActive(phase),
    canPause: idle && phase === 'running',
    canResume: idle && phase === 'paused',
    canStop: pending !== 'stop' && (phase === 'running' || phase === 'paused' || phase === 'preparing'),
    canContinue: idle && phase === 'stopped' && state.canContinue,
  };
}

/** The client asked for `command`; the run state itself changes when the worker answers. */
export function requestCommand(state: TrainingState, command: Exclude<PendingCommand, null>): TrainingState {
  if (command === 'start') {
    return {
      ...state,
      pending: 'start',
      step: 0,
      totalSteps: 0,
      last: null,
      message: '',
      canContinue: false,
      stepPlan: null,
    };
  }
  return { ...state, pending: command };
}

const RUN_EVENTS = [
  'backendReady',
  'backendProgress',
  'trainState',
  'imagesCleared',
  'ingestDone',
  'modelInfo',
  'runConfig',
  'metrics',
  'error',
] as const;

/** The worker events this slice answers (the run's and auto-configure's); store/app-store.ts routes only these here. */
export const TRAINING_EVENTS = [...RUN_EVENTS, ...AUTO_CONFIG_EVENTS] as const;
export type TrainingEvent = EventOf<(typeof TRAINING_EVENTS)[number]>;

export function trainingReducer(state: TrainingState, event: TrainingEvent): TrainingState {
  const next = isOneOf(RUN_EVENTS, event) ? runReducer(state, event) : state;
  if (!isOneOf(AUTO_CONFIG_EVENTS, event)) return next;
  const locked = isRunActive(next.phase) || (next.pending === 'start' && !next.auto.startWhenDone);
  return autoConfigReducer(next, event, locked);
}

function runReducer(state: TrainingState, event: EventOf<(typeof RUN_EVENTS)[number]>): TrainingState {
  switch (event.type) {
    case 'backendReady':
      return {
        ...state,
        backend: {
          state: 'ready',
          backend: event.backend,
          reason: event.reason,
          adapterInfo: event.adapterInfo,
          customKernels: event.customKernels,
          decision: event.decision,
          progress: '',
        },
      };
    case 'backendProgress':
      return { ...state, backend: { ...state.backend, state: 'starting', progress: event.message } };
    case 'trainState':
      return {
        ...state,
        phase: event.phase,
        pending: null,
        step: event.step,
        totalSteps: event.totalSteps,
        message: event.message,
        canContinue: event.canContinue,
      };
    case 'imagesCleared':
      // The stopped run's images are gone: the worker would refuse Continue.
      return { ...state, canContinue: false };
    case 'ingestDone':
      return event.added > 0 ? { ...state, canContinue: false } : state;
    case 'modelInfo':
      return { ...state, model: event.summary };
    case 'runConfig':
      return { ...state, stepPlan: event.step };
    case 'metrics': {
      const n = event.losses.length;
      if (n === 0) return state;
      return {
        ...state,
        step: Math.max(state.step, event.firstStep + n - 1),
        last: {
          loss: event.losses[n - 1] as number,
          learningRate: event.learningRates[n - 1] ?? state.last?.learningRate ?? 0,
          imagesPerSecond: event.imagesPerSecond,
          etaSeconds: event.etaSeconds,
          positiveSimilarity: event.positiveSimilarity,
          negativeSimilarity: event.negativeSimilarity,
        },
      };
    }
    case 'error': {
      if (isWorkerCrash(event)) {
        return {
          ...state,
          phase: 'error',
          pending: null,
          message: event.error.message,
          backend:
            state.backend.state === 'ready'
              ? state.backend
              : { ...state.backend, state: 'failed', reason: event.error.message },
        };
      }
      // An error answering a run command: the worker will not confirm it.
      const backend =
        state.backend.state === 'starting' && event.failed === 'backend'
          ? { ...state.backend, state: 'failed' as const, reason: event.error.message }
          : state.backend;
      return { ...state, pending: event.requestId === null ? null : state.pending, backend };
    }
    default:
      return unhandledEvent(event);
  }
}
