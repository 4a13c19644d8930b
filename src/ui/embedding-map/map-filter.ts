/** Which map points a file-name search and a label filter keep, and the images per label. Pure. */
import type { MapFilter } from '../../store';

export const NO_FILTER: MapFilter = { text: '', label: null };

export function isFiltering(filter: MapFilter): boolean {
  return filter.text.trim() !== '' || filter.label !== null;
}

/**
 * 1 for each point the filter keeps, 0 for the others. `paths[p]` and `labels[p]` belong to point p; without
 * labels a label filter keeps nothing, so a stale choice cannot silently show everything.
 */
export function filterPoints(
  paths: readonly string[],
  labels: ArrayLike<number> | null,
  filter: MapFilter,
): Uint8Array {
  const needle = filter.text.trim().toLowerCase();
  const keep = new Uint8Array(paths.length);
  for (let p = 0; p < paths.length; p++) {
    if (filter.label !== null && (!labels || labels[p] !== filter.label)) continue;
    if (needle && !(paths[p] ?? '').toLowerCase().includes(needle)) continue;
    keep[p] = 1;
  }
  return keep;
}

/** Points per label (index = label), counting only those `keep` marks when given. */
export function labelCounts(labels: ArrayLike<number>, classes: number, keep: ArrayLike<number> | null): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (let p = 0; p < labels.length; p++) {
    const label = labels[p] ?? -1;
    if ((keep && !keep[p]) || label < 0 || label >= classes) continue;
    counts[label] = (counts[label] ?? 0) + 1;
  }
  return counts;
}
