/** Messages between the UI and the UMAP worker. */
export interface UmapRequest {
  id: number;
  /** l2-normalized vectors, [count, dim] row-major. */
  vectors: Float32Array;
  count: number;
  dim: number;
}

export type UmapResponse = { id: number; coords: Float32Array } | { id: number; error: string };
