/**
 * Runs UMAP in its own Worker so neither the page nor the training worker waits for it. A new request
 * replaces an unfinished one (the old worker is terminated: its pass is out of date).
 */
import type { UmapRequest, UmapResponse } from './umap-protocol';

/** UMAP needs a neighbourhood: fewer points than this get no layout. */
export const UMAP_MIN_POINTS = 4;

let worker: Worker | null = null;
let nextId = 0;

export function layoutUmap(
  vectors: Float32Array,
  count: number,
  dim: number,
  done: (coords: Float32Array | null, message: string) => void,
): void {
  worker?.terminate();
  worker = null;
  if (count < UMAP_MIN_POINTS) {
    done(null, `UMAP needs at least ${UMAP_MIN_POINTS} images.`);
    return;
  }
  let created: Worker;
  try {
    created = new Worker(new URL('./umap.worker.ts', import.meta.url), { type: 'module', name: 'umap' });
  } catch (error) {
    done(null, `The UMAP worker could not start: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  worker = created;
  const id = ++nextId;
  created.onmessage = (message: MessageEvent<UmapResponse>) => {
    if (message.data.id !== id) return;
    created.terminate();
    if (worker === created) worker = null;
    if ('coords' in message.data) done(message.data.coords, '');
    else done(null, `UMAP failed: ${message.data.error}`);
  };
  created.onerror = (event) => {
    event.preventDefault();
    created.terminate();
    if (worker === created) worker = null;
    done(null, `UMAP failed: ${event.message || 'the worker crashed'}`);
  };
  // The vectors are copied (not transferred): the map keeps its own for the next layout.
  created.postMessage({ id, vectors, count, dim } satisfies UmapRequest);
}
