/** Evaluation slice: small, serializable state of the evaluation views (large arrays live in client/evaluation). */
import { DEFAULT_EVAL_CONFIG, type EvalConfig } from '../../protocol/evaluation';
import { type EventOf, unhandledEvent } from '../slice-events';

export interface NeighbourItem {
  index: number;
  similarity: number;
}

export interface NeighboursState {
  index: number;
  step: number;
  items: NeighbourItem[];
}

export interface ProbeState {
  status: 'idle' | 'running' | 'done' | 'failed';
  requestId: number | null;
  step: number;
  testAccuracy: number;
  trainAccuracy: number;
  testCount: number;
  trainCount: number;
  classes: number;
  /** Share of the largest class among the held-out images, the baseline to beat. */
  majority: number;
  message: string;
}

export type MapProjection = 'pca' | 'umap';

export interface EvaluationState {
  config: EvalConfig;
  /** Image the person clicked on the map, and its neighbours once the worker answered. */
  selected: number | null;
  neighboursRequestId: number | null;
  neighbours: NeighboursState | null;
  neighboursError: string;
  probe: ProbeState;
  projection: MapProjection;
  colourByLabel: boolean;
  /** Whether the live views (charts, health, map) are shown; hiding them saves the page's redraws. */
  liveViews: boolean;
}

export const initialProbeState = (): ProbeState => ({
  status: 'idle',
  requestId: null,
  step: 0,
  testAccuracy: Number.NaN,
  trainAccuracy: Number.NaN,
  testCount: 0,
  trainCount: 0,
  classes: 0,
  majority: Number.NaN,
  message: '',
});

export const initialEvaluationState = (): EvaluationState => ({
  config: { ...DEFAULT_EVAL_CONFIG },
  selected: null,
  neighboursRequestId: null,
  neighbours: null,
  neighboursError: '',
  probe: initialProbeState(),
  projection: 'pca',
  colourByLabel: true,
  liveViews: true,
});

/** The worker events this slice answers; store/app-store.ts routes only these here. */
export const EVALUATION_EVENTS = ['neighbours', 'probeResult', 'error', 'imagesCleared', 'trainState'] as const;
export type EvaluationEvent = EventOf<(typeof EVALUATION_EVENTS)[number]>;

export function evaluationReducer(state: EvaluationState, event: EvaluationEvent): EvaluationState {
  switch (event.type) {
    case 'neighbours':
      if (event.requestId !== state.neighboursRequestId) return state;
      return {
        ...state,
        neighboursRequestId: null,
        neighboursError: '',
        neighbours: {
          index: event.index,
          step: event.step,
          items: Array.from(event.neighbours, (index, i) => ({
            index,
            similarity: event.similarities[i] ?? Number.NaN,
          })),
        },
      };
    case 'probeResult':
      if (event.requestId !== state.probe.requestId) return state;
      return {
        ...state,
        probe: {
          status: 'done',
          requestId: null,
          step: event.step,
          testAccuracy: event.testAccuracy,
          trainAccuracy: event.trainAccuracy,
          testCount: event.testCount,
          trainCount: event.trainCount,
          classes: event.classes,
          majority: event.majority,
          message: '',
        },
      };
    case 'error':
      if (event.requestId !== null && event.requestId === state.neighboursRequestId)
        return { ...state, neighboursRequestId: null, neighboursError: event.error.message };
      if (event.requestId !== null && event.requestId === state.probe.requestId)
        return { ...state, probe: { ...state.probe, status: 'failed', requestId: null, message: event.error.message } };
      return state;
    case 'imagesCleared':
      return { ...state, selected: null, neighbours: null, neighboursRequestId: null, probe: initialProbeState() };
    case 'trainState':
      // A new run: answers about the previous encoder no longer apply.
      if (event.phase === 'preparing')
        return { ...state, selected: null, neighbours: null, neighboursRequestId: null, probe: initialProbeState() };
      return state;
    default:
      return unhandledEvent(event);
  }
}
