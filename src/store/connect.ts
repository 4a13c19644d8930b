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
import { onEmbeddings, onSearchEmbedded, sendEvalConfig } from './evaluation/actions';
import { onExported } from './exporting/actions';
import { onClassifierExported } from './fine-tune/actions';
import { onRunsEvent } from './runs/actions';
import { unhandledEvent } from './slice-events';
import { autoConfigBlocker, autoConfigure, onIngestDoneAutoConfigure, onProbeSettled } from './training/auto-actions';

/** The store's answer to an event: its slices reduce it (app-store.ts decides which). */
function reduce(event: WorkerEvent): void {
  useAppStore.setState((state) => reduceEvent(state, event));
}

/**
 * Every worker event, in one place: data for the views goes to its buffer outside the store, the store's
 * slices reduce the event, and actions that read the new state follow. A new event type is a compile
 * error here until it is handled.
 */
export function handleWorkerEvent(event: WorkerEvent): void {
  switch (event.type) {
    case 'thumbnails':
      thumbnails.add(event);
      return;
    case 'embeddings':
      onEmbeddings(event);
      return;
    case 'exported':
      onExported(event);
      onRunsEvent(event);
      return;
    case 'classifierExported':
      onClassifierExported(event);
      return;
    case 'metrics':
      metrics.push(event);
      if (event.health) evaluation.pushHealth(event.firstStep + Math.max(0, event.losses.length - 1), event.health);
      reduce(event);
      return;
    case 'imagesCleared':
      thumbnails.clear();
      evaluation.reset();
      reduce(event);
      return;
    case 'runRestored':
    case 'checkpointFile':
    case 'datasetEmbedded':
      onRunsEvent(event);
      reduce(event);
      return;
    case 'backendReady': {
      // A backend chosen again (Measure again, or the person's pick) after auto-configure timed the old one.
      const before = useAppStore.getState().training;
      const retime = before.backend.decision !== null && before.auto.result !== null;
      reduce(event);
      backendMemory.rememberFrom(event, hardwareKey(event.decision.hardware));
      if (retime && autoConfigBlocker(useAppStore.getState()) === null) autoConfigure();
      return;
    }
    case 'ingestDone':
      reduce(event);
      onIngestDoneAutoConfigure(event);
      return;
    case 'datasetFolders':
      reduce(event);
      onDatasetFolders(event);
      return;
    case 'embedded':
      reduce(event);
      onSearchEmbedded(event);
      return;
    case 'configProbeDone':
    case 'error':
      reduce(event);
      onProbeSettled(event);
      return;
    case 'backendProgress':
    case 'ingestProgress':
    case 'trainState':
    case 'modelInfo':
    case 'runConfig':
    case 'augmentPreview':
    case 'augmentApplied':
    case 'probeResult':
    case 'runsList':
    case 'checkpointSaving':
    case 'checkpointSaved':
    case 'checkpointFailed':
    case 'embedDatasetProgress':
    case 'configProbeProgress':
    case 'recovered':
    case 'fineTuneStatus':
    case 'classified':
      reduce(event);
      return;
    default:
      unhandledEvent(event);
  }
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
