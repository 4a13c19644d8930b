/**
 * UMAP layout of one embedding pass, off both the UI and the training thread (umap-js, cosine distance on
 * l2-normalized vectors, seeded so a pass always gives the same picture).
 */
import { UMAP } from 'umap-js';
import type { UmapRequest, UmapResponse } from './umap-protocol';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The part of the worker global scope used here (this file is type-checked with the DOM library). */
interface WorkerScope {
  onmessage: ((message: MessageEvent<UmapRequest>) => void) | null;
  postMessage(message: UmapResponse, transfer?: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;

scope.onmessage = (message: MessageEvent<UmapRequest>) => {
  const { id, vectors, count, dim } = message.data;
  try {
    const rows: number[][] = [];
    for (let i = 0; i < count; i++) rows.push(Array.from(vectors.subarray(i * dim, (i + 1) * dim)));
    const umap = new UMAP({
      nComponents: 2,
      nNeighbors: Math.max(2, Math.min(15, count - 1)),
      minDist: 0.1,
      random: mulberry32(12345),
      // Vectors are unit length: 1 - dot is the cosine distance.
      distanceFn: (a, b) => {
        let dot = 0;
        for (let i = 0; i < a.length; i++) dot += (a[i] ?? 0) * (b[i] ?? 0);
        return Math.max(0, 1 - dot);
      },
    });
    const layout = umap.fit(rows);
    const coords = new Float32Array(count * 2);
    layout.forEach((p, i) => {
      coords[2 * i] = p[0] ?? 0;
      coords[2 * i + 1] = p[1] ?? 0;
    });
    scope.postMessage({ id, coords } satisfies UmapResponse, [coords.buffer]);
  } catch (error) {
    scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) } satisfies UmapResponse);
  }
};
