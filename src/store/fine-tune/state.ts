/** Fine-tune slice: the settings, the worker's fine-tuning status, the tried image and the download. */
import {
  DEFAULT_FINE_TUNE_CONFIG,
  type FineTuneConfig,
  type FineTuneStatus,
  idleFineTuneStatus,
} from '../../protocol/fine-tune';
import { type EventOf, unhandledEvent } from '../slice-events';

export interface ClassProbability {
  label: string;
  probability: number;
}

export interface ClassifiedImage {
  name: string;
  /** Every class, most probable first. */
  ranked: ClassProbability[];
}

export interface FineTuneState {
  config: FineTuneConfig;
  status: FineTuneStatus;
  /** The start request in flight, and why the last start failed ('' when it did not). */
  startRequestId: number | null;
  startError: string;
  classifyRequestId: number | null;
  classified: ClassifiedImage | null;
  classifyError: string;
  exportRequestId: number | null;
  exportError: string;
  lastExport: { filename: string; bytes: number } | null;
}

export const initialFineTuneStatus = idleFineTuneStatus;

export const initialFineTuneState = (): FineTuneState => ({
  config: { ...DEFAULT_FINE_TUNE_CONFIG },
  status: initialFineTuneStatus(),
  startRequestId: null,
  startError: '',
  classifyRequestId: null,
  classified: null,
  classifyError: '',
  exportRequestId: null,
  exportError: '',
  lastExport: null,
});

/** The worker events this slice answers; store/app-store.ts routes only these here. */
export const FINE_TUNE_EVENTS = ['fineTuneStatus', 'classified', 'error'] as const;

/** Every class with its probability, most probable first. */
export function rankClasses(labelNames: readonly string[], probabilities: ArrayLike<number>): ClassProbability[] {
  return labelNames
    .map((label, i) => ({ label, probability: probabilities[i] ?? Number.NaN }))
    .sort((a, b) => b.probability - a.probability);
}

export function fineTuneReducer(
  state: FineTuneState,
  event: EventOf<(typeof FINE_TUNE_EVENTS)[number]>,
): FineTuneState {
  switch (event.type) {
    case 'fineTuneStatus': {
      const { type: _, ...status } = event;
      const started = status.phase === 'preparing';
      return {
        ...state,
        status,
        ...(started ? { startRequestId: null, startError: '', classified: null, classifyError: '' } : {}),
      };
    }
    case 'classified':
      if (event.requestId !== state.classifyRequestId) return state;
      return {
        ...state,
        classifyRequestId: null,
        classifyError: '',
        classified: { name: event.name, ranked: rankClasses(event.labelNames, event.probabilities) },
      };
    case 'error': {
      const id = event.requestId;
      if (id === null) return state;
      if (id === state.startRequestId) return { ...state, startRequestId: null, startError: event.error.message };
      if (id === state.classifyRequestId)
        return { ...state, classifyRequestId: null, classifyError: event.error.message };
      if (id === state.exportRequestId) return { ...state, exportRequestId: null, exportError: event.error.message };
      return state;
    }
    default:
      return unhandledEvent(event);
  }
}
