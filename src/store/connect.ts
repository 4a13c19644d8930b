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

export function handleWorkerEvent(event: WorkerEvent): void {
  switch (event.type) {
    case 'thumbnails':
      thumbnails.add(event);
      return; // nothing for the store: the grid redraws from the buffer
    case 'metrics':
      metrics.push(event);
      if (event.health) evaluation.pushHealth(event.firstStep + Math.max(0, event.losses.length - 1), event.health);
      break;
    case 'embeddings':
      onEmbeddings(event);
      return; // the map and kNN chart redraw from the buffer
    case 'imagesCleared':
      thumbnails.clear();
      evaluation.reset();
      break;
    case 'exported':
      onExported(event);
      onRunsEvent(event);
      return;
    case 'runRestored':
    case 'checkpointFile':
    case 'datasetEmbedded':
      onRunsEvent(event);
      break;
    default:
      break;
  }
  // A backend chosen again (Measure again, or the person's pick) after auto-configure timed the old one.
  const retime =
    event.type === 'backendReady' &&
    useAppStore.getState().training.backend.decision !== null &&
    useAppStore.getState().training.auto.result !== null;
  useAppStore.setState((state) => reduceEvent(state, event));
  if (event.type === 'backendReady') {
    backendMemory.rememberFrom(event, hardwareKey(event.decision.hardware));
    if (retime && autoConfigBlocker(useAppStore.getState()) === null) autoConfigure();
  }
  if (event.type === 'ingestDone') onIngestDoneAutoConfigure(event);
  if (event.type === 'datasetFolders') onDatasetFolders(event);
  if (event.type === 'configProbeDone' || event.type === 'error') onProbeSettled(event);
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
