/** Saved-runs slice: the list in browser storage, the bundle being made, the last import. */
import type { SavedRunInfo, StorageEstimate } from '../../protocol/runs';
import { isWorkerCrash } from '../events';
import { type EventOf, unhandledEvent } from '../slice-events';

/** Checkpoints of the run on screen (Start resets it). */
export interface CheckpointStatus {
  /** The saved run its checkpoints go to; null before this run's first save. */
  runId: string | null;
  /** Step being written now, or null. */
  saving: number | null;
  /** Step of its last checkpoint: written in this tab, or the saved run it was resumed from. */
  saved: number | null;
  /** The last save failed (an error event said why); the previous checkpoint is intact. */
  failed: boolean;
  /** A reload loses nothing up to this step: it is saved, or restored from a checkpoint or file. */
  safeStep: number;
}

export const initialCheckpointStatus = (): CheckpointStatus => ({
  runId: null,
  saving: null,
  saved: null,
  failed: false,
  safeStep: 0,
});

/** The status for an event of run `runId`: a new run id (a restart after out-of-memory) starts afresh. */
function forRun(status: CheckpointStatus, runId: string): CheckpointStatus {
  return status.runId === runId ? status : { ...initialCheckpointStatus(), runId };
}

export interface RunsState {
  runs: SavedRunInfo[];
  storage: StorageEstimate;
  /** The list has been read from storage at least once. */
  listed: boolean;
  /** The last checkpoint written in this tab. */
  lastSaved: { runId: string; step: number } | null;
  checkpoint: CheckpointStatus;
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
  checkpoint: initialCheckpointStatus(),
  restored: null,
  resuming: null,
  bundle: null,
  lastBundle: null,
  importRequestId: null,
  checkpointRequestId: null,
});

/** The worker events this slice answers; store/app-store.ts routes only these here. */
export const RUNS_EVENTS = [
  'runsList',
  'checkpointSaving',
  'checkpointSaved',
  'checkpointFailed',
  'runRestored',
  'embedDatasetProgress',
  'error',
] as const;
export type RunsSliceEvent = EventOf<(typeof RUNS_EVENTS)[number]>;

export function runsReducer(state: RunsState, event: RunsSliceEvent): RunsState {
  switch (event.type) {
    case 'runsList':
      return { ...state, runs: event.runs, storage: event.storage, listed: true };
    case 'checkpointSaving':
      return { ...state, checkpoint: { ...forRun(state.checkpoint, event.runId), saving: event.step } };
    case 'checkpointSaved': {
      const run = forRun(state.checkpoint, event.runId);
      const checkpoint = {
        ...run,
        saving: null,
        saved: event.step,
        failed: false,
        safeStep: Math.max(run.safeStep, event.step),
      };
      return { ...state, lastSaved: { runId: event.runId, step: event.step }, checkpoint };
    }
    case 'checkpointFailed':
      return { ...state, checkpoint: { ...forRun(state.checkpoint, event.runId), saving: null, failed: true } };
    case 'runRestored': {
      const { runId, step, canContinue, message } = event;
      // A resumed run is in storage at its step; an imported one is not, but its file holds that step.
      const saved = state.resuming === runId ? step : null;
      return {
        ...state,
        resuming: null,
        importRequestId: null,
        restored: { runId, step, canContinue, message },
        checkpoint: { runId, saving: null, saved, failed: false, safeStep: step },
      };
    }
    case 'embedDatasetProgress':
      if (state.bundle?.embedRequestId !== event.requestId) return state;
      return { ...state, bundle: { ...state.bundle, done: event.done, total: event.total } };
    case 'error': {
      if (isWorkerCrash(event)) {
        const checkpoint = { ...state.checkpoint, saving: null };
        return { ...state, bundle: null, resuming: null, importRequestId: null, checkpoint };
      }
      const id = event.requestId;
      const bundleFailed = id !== null && (state.bundle?.embedRequestId === id || state.bundle?.exportRequestId === id);
      return {
        ...state,
        bundle: bundleFailed ? null : state.bundle,
        resuming: event.failed === 'resume' ? null : state.resuming,
        importRequestId: id !== null && id === state.importRequestId ? null : state.importRequestId,
        checkpointRequestId: id !== null && id === state.checkpointRequestId ? null : state.checkpointRequestId,
      };
    }
    default:
      return unhandledEvent(event);
  }
}
