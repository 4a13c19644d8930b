/** Wires worker events into the store and the buffers, once. */
import { backendMemory } from '../client/backend-memory';
import { evaluation } from '../client/evaluation/evaluation-buffer';
import { metrics } from '../client/metrics-buffer';
import { thumbnails } from '../client/thumbnail-store';
import type { WorkerClient } from '../client/worker-client';
import { hardwareKey } from '../protocol/hardware';
import type { WorkerEvent } from '../protocol/messages';
import { reduceEvent, useAppStore } from './app-store';
import { setWorkerClient, workerClient } from './client-ref';
import { onDatasetFolders } from './dataset/folder-labels';
import { onEmbeddings, sendEvalConfig } from './evaluation/actions';
import { onExported } from './exporting/actions';
import { onRunsEvent } from './runs/actions';
import { autoConfigBlocker, autoConfigure, onIngestDoneAutoConfigure, onProbeSettled } from './training/auto-actions';

/**
 * Events whose data lives in a buffer outside the store (the views redraw from it): fed there. Returns
 * false for those the store has no part in.
 */
function feedBuffers(event: WorkerEvent): boolean {
  switch (event.type) {
    case 'thumbnails':
      thumbnails.add(event);
      return false;
    case 'embeddings':
      onEmbeddings(event);
      return false;
    case 'exported':
      onExported(event);
      onRunsEvent(event);
      return false;
    case 'metrics':
      metrics.push(event);
      if (event.health) evaluation.pushHealth(event.firstStep + Math.max(0, event.losses.length - 1), event.health);
      return true;
    case 'imagesCleared':
      thumbnails.clear();
      evaluation.reset();
      return true;
    case 'runRestored':
    case 'checkpointFile':
    case 'datasetEmbedded':
      onRunsEvent(event);
      return true;
    default:
      return true;
  }
}

/** What follows an event once the store has it: actions that read the new state. */
function afterReduce(event: WorkerEvent, retime: boolean): void {
  switch (event.type) {
    case 'backendReady':
      backendMemory.rememberFrom(event, hardwareKey(event.decision.hardware));
      if (retime && autoConfigBlocker(useAppStore.getState()) === null) autoConfigure();
      return;
    case 'ingestDone':
      onIngestDoneAutoConfigure(event);
      return;
    case 'datasetFolders':
      onDatasetFolders(event);
      return;
    case 'configProbeDone':
    case 'error':
      onProbeSettled(event);
      return;
    default:
      return;
  }
}

export function handleWorkerEvent(event: WorkerEvent): void {
  if (!feedBuffers(event)) return;
  // A backend chosen again (Measure again, or the person's pick) after auto-configure timed the old one.
  const before = useAppStore.getState().training;
  const retime = event.type === 'backendReady' && before.backend.decision !== null && before.auto.result !== null;
  useAppStore.setState((state) => reduceEvent(state, event));
  afterReduce(event, retime);
}

let disconnect: (() => void) | null = null;

/** Subscribe the store to the worker (idempotent) and start the worker; returns the unsubscribe function. */
export function connectWorker(client?: WorkerClient): () => void {
  if (client) {
    disconnect?.();
    disconnect = null;
    setWorkerClient(client);
  }
  if (!disconnect) {
    const active = workerClient();
    const unsubscribe = active.subscribe(handleWorkerEvent);
    disconnect = () => {
      unsubscribe();
      disconnect = null;
    };
    active.start();
    sendEvalConfig();
  }
  return disconnect;
}
