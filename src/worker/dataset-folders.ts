import { labelCounts, labelsFromPaths } from '../core/eval/labels';
import type { DatasetFolders } from '../protocol/evaluation';
import type { Emit } from './ingest';

/**
 * The folders of a data set's images and a stable key for it. The key hashes the sorted image paths: the
 * question it keys ("are the folder names labels?") is about the folder structure, and paths survive a
 * reload, a re-drop in another order and a restored saved run alike (content keys do not: a restored store
 * holds pixels only).
 */
export async function datasetFolders(paths: readonly string[]): Promise<DatasetFolders> {
  const sorted = [...paths].sort().join('\n');
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(sorted)));
  let fingerprint = '';
  for (let i = 0; i < 16; i++) fingerprint += digest[i]!.toString(16).padStart(2, '0');
  const labels = labelsFromPaths(paths);
  if ('reason' in labels) return { fingerprint, names: [], counts: [] };
  return { fingerprint, names: labels.names, counts: labelCounts(labels.labels, labels.names.length) };
}

/** Tells the UI which folders the loaded images are in (after every load and restore). */
export async function announceFolders(paths: readonly string[], emit: Emit): Promise<void> {
  emit({ type: 'datasetFolders', ...(await datasetFolders(paths)) });
}
