/** The large-data holders, re-exported for the UI (which does not import client/ itself). */
export type { ChangeSource } from '../client/change-source';
export { type EmbeddingMapData, evaluation, type HealthSnapshot } from '../client/evaluation/evaluation-buffer';
export { type DroppedItem, entriesFromDataTransfer } from '../client/folder-walker';
export { metrics } from '../client/metrics-buffer';
export { thumbnails } from '../client/thumbnail-store';
