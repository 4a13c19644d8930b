/**
 * Labels for evaluation only: the name of each image's parent folder, when the data set spans at least two
 * folders. They never reach the training loop.
 */
export interface DatasetLabels {
  /** Folder names, sorted; label i is names[i]. */
  names: string[];
  /** Label of each image, in data set order. */
  labels: Int32Array;
}

/** The parent folder of a path ('a/b/c.png' -> 'b'); '' for a bare file name. */
export function parentFolder(path: string): string {
  const parts = path.split('/').filter((p) => p.length > 0);
  return parts.length >= 2 ? (parts[parts.length - 2] ?? '') : '';
}

/** Labels from parent folders, or a reason a person can read when there are none. */
export function labelsFromPaths(paths: readonly string[]): DatasetLabels | { reason: string } {
  const folders = paths.map(parentFolder);
  if (folders.some((f) => f === ''))
    return { reason: 'Some images are not inside a subfolder, so there are no labels to evaluate with.' };
  const names = [...new Set(folders)].sort();
  if (names.length < 2)
    return {
      reason:
        'All images are in one folder. To evaluate, load a folder with one subfolder per class (its names become labels, used only for evaluation).',
    };
  const index = new Map(names.map((n, i) => [n, i]));
  return { names, labels: Int32Array.from(folders, (f) => index.get(f) ?? 0) };
}

/** Number of images with each label, for `classes` labels. */
export function labelCounts(labels: ArrayLike<number>, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (label >= 0 && label < classes) counts[label] = (counts[label] ?? 0) + 1;
  }
  return counts;
}

/**
 * Share of the most frequent label: the accuracy of always guessing it, the baseline a classifier must beat
 * (1 / classes only when the classes are balanced). NaN for no labels.
 */
export function majorityShare(labels: ArrayLike<number>): number {
  if (labels.length === 0) return Number.NaN;
  const counts = new Map<number, number>();
  let largest = 0;
  for (let i = 0; i < labels.length; i++) {
    const count = (counts.get(labels[i]!) ?? 0) + 1;
    counts.set(labels[i]!, count);
    largest = Math.max(largest, count);
  }
  return largest / labels.length;
}
