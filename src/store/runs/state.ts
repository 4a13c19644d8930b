/** Saved-runs slice: the list in browser storage, the bundle being made, the last import. */
import type { WorkerEvent } from '../../protocol/messages';
import type { SavedRunInfo, StorageEstimate } from '../../protocol/runs';
import { isWorkerCrash } from '../events';

export interface RunsState {
  runs: SavedRunInfo[];
  storage: StorageEstimate;
  /** The list has been read from storage at least once. */
  listed: boolean;
  /** The last checkpoint written in this tab. */
  lastSaved: { runId: string; step: number } | null;
  /** The run restored last (resume or import) and what was said about it. */
  restored: { runId: string; step: number; canContinue: boolean; message: string } | null;
  /** A run whose Resume was clicked and has not been restored yet. */
  resuming: string | null;
  /** The export bundle in progress: the embedding pass over the data set. */
  bundle: { exportRequestId: number; embedRequestId: number; done: number; total: number } | null;
  lastBundle: { filename: string; bytes: number } | null;
  importRequestId: number | null;
  checkpointRequestId: number | null;
}

export const initialRunsState = (): RunsState => ({
  runs: [],
  storage: { usage: null, quota: null },
  listed: false,
  lastSaved: null,
  restored: null,
  resuming: null,
  bundle: null,
  lastBundle: null,
  importRequestId: null,
  checkpointRequestId: null,
});

export function runsReducer(state: RunsState, event: WorkerEvent): RunsState {
  switch (event.type) {
    case 'runsList':
      return { ...state, runs: event.runs, storage: event.storage, listed: true };
    case 'checkpointSaved':
      return { ...state, lastSaved: { runId: event.runId, step: event.step } };
    case 'runRestored': {
      const { runId, step, canContinue, message } = event;
      return { ...state, resuming: null, importRequestId: null, restored: { runId, step, canContinue, message } };
    }
    case 'embedDatasetProgress':
      if (state.bundle?.embedRequestId !== event.requestId) return state;
      return { ...state, bundle: { ...state.bundle, done: event.done, total: event.total } };
    case 'error': {
      if (isWorkerCrash(event)) return { ...state, bundle: null, resuming: null, importRequestId: null };
      const id = event.requestId;
      const bundleFailed = id !== null && (state.bundle?.embedRequestId === id || state.bundle?.exportRequestId === id);
      return {
        ...state,
        bundle: bundleFailed ? null : state.bundle,
        resuming: event.context === 'resuming a saved run' ? null : state.resuming,
        importRequestId: id !== null && id === state.importRequestId ? null : state.importRequestId,
        checkpointRequestId: id !== null && id === state.checkpointRequestId ? null : state.checkpointRequestId,
      };
    }
    default:
      return state;
  }
}
