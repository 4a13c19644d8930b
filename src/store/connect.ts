/** Wires worker events into the store and the buffers, once. */
import { metrics } from '../client/metrics-buffer';
import { thumbnails } from '../client/thumbnail-store';
import type { WorkerClient } from '../client/worker-client';
import type { WorkerEvent } from '../protocol/messages';
import { reduceEvent, useAppStore } from './app-store';
import { setWorkerClient, workerClient } from './client-ref';
import { onExported } from './exporting/actions';
import { onRunsEvent } from './runs/actions';

export function handleWorkerEvent(event: WorkerEvent): void {
  switch (event.type) {
    case 'thumbnails':
      thumbnails.add(event);
      return; // nothing for the store: the grid redraws from the buffer
    case 'metrics':
      metrics.push(event);
      break;
    case 'imagesCleared':
      thumbnails.clear();
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
  useAppStore.setState((state) => reduceEvent(state, event));
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
  }
  return disconnect;
}
