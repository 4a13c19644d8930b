/** Evaluation slice: small, serializable state of the evaluation views (large arrays live in client/evaluation). */
import { DEFAULT_EVAL_CONFIG, type EvalConfig } from '../../protocol/evaluation';
import { isWorkerCrash } from '../events';
import { type EventOf, unhandledEvent } from '../slice-events';

export interface NeighbourItem {
  index: number;
  similarity: number;
}

/** What is searched for: an image of the loaded set (clicked on the map or in the grid), or a file. */
export type SearchQuery = { kind: 'image'; index: number } | { kind: 'file'; name: string };

export interface SearchState {
  query: SearchQuery | null;
  /** The query file's embedding request, while the worker computes h. */
  requestId: number | null;
  /** The query's nearest images in the map's pass (cosine similarity on h). */
  result: {
    /** Step of the encoder that embedded the map's images, and the query (they differ during a run). */
    mapStep: number;
    queryStep: number;
    /** Images the map embedded: the ones searched. */
    searched: number;
    items: NeighbourItem[];
  } | null;
  error: string;
}

/** Which map points are shown: part of the file name and one label (null: all). */
export interface MapFilter {
  text: string;
  label: number | null;
}

export const initialSearchState = (): SearchState => ({ query: null, requestId: null, result: null, error: '' });

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
  /** Search by image: the query and its nearest images. */
  search: SearchState;
  mapFilter: MapFilter;
  /** Data set indices selected on the map with the lasso (null: no selection), shown in the thumbnail grid. */
  mapSelection: number[] | null;
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
  search: initialSearchState(),
  mapFilter: { text: '', label: null },
  mapSelection: null,
  probe: initialProbeState(),
  projection: 'pca',
  colourByLabel: true,
  liveViews: true,
});

/** The worker events this slice answers; store/app-store.ts routes only these here. */
export const EVALUATION_EVENTS = ['probeResult', 'error', 'imagesCleared', 'trainState'] as const;
export type EvaluationEvent = EventOf<(typeof EVALUATION_EVENTS)[number]>;

export function evaluationReducer(state: EvaluationState, event: EvaluationEvent): EvaluationState {
  switch (event.type) {
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
      // A crashed worker answers no request: the search stops waiting and says why.
      if (state.search.requestId !== null && (event.requestId === state.search.requestId || isWorkerCrash(event)))
        return { ...state, search: { ...state.search, requestId: null, error: event.error.message } };
      if (event.requestId !== null && event.requestId === state.probe.requestId)
        return { ...state, probe: { ...state.probe, status: 'failed', requestId: null, message: event.error.message } };
      return state;
    case 'imagesCleared':
      // Another data set: its labels and names are others, so the filter starts afresh too.
      return {
        ...state,
        search: initialSearchState(),
        mapSelection: null,
        mapFilter: { text: '', label: null },
        probe: initialProbeState(),
      };
    case 'trainState':
      // A new run: answers about the previous encoder no longer apply.
      if (event.phase === 'preparing')
        return { ...state, search: initialSearchState(), mapSelection: null, probe: initialProbeState() };
      return state;
    default:
      return unhandledEvent(event);
  }
}
