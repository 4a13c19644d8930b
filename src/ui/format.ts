/** Numbers and durations as people read them: the one place the UI rounds a number for display. */

import { formatCount } from '../protocol/number-format';

export { formatCount, formatLoss, formatSignificant } from '../protocol/number-format';

const missing = (v: number | null | undefined): v is null | undefined =>
  v === null || v === undefined || !Number.isFinite(v);

/** A cosine similarity, alignment or uniformity: 3 decimals ('0.812', '-0.034'). */
export function formatSimilarity(v: number | null | undefined): string {
  return missing(v) ? '—' : v.toFixed(3);
}

/** A share (0.4123) as a percentage with one decimal: '41.2%'. */
export function formatPercent(share: number | null | undefined): string {
  return missing(share) ? '—' : `${(share * 100).toFixed(1)}%`;
}

export function imageCountText(n: number): string {
  if (n === 0) return 'No images loaded yet';
  return n === 1 ? '1 image loaded' : `${formatCount(n)} images loaded`;
}

/** 'Step 55 / 1,200', or 'Step 55' when the run has no total (a run imported without its images). */
export function formatStepProgress(step: number, total: number): string {
  return total > 0 ? `Step ${formatCount(step)} / ${formatCount(total)}` : `Step ${formatCount(step)}`;
}

/** '45 s', '2 min 10 s', '1 h 05 min'; '—' when unknown. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  const minutes = Math.floor((s % 3600) / 60);
  return `${Math.floor(s / 3600)} h ${String(minutes).padStart(2, '0')} min`;
}

/** Learning rates span decades: 1.00e-3. */
export function formatLearningRate(lr: number | null | undefined): string {
  if (lr === null || lr === undefined || Number.isNaN(lr)) return '—';
  return lr === 0 ? '0' : lr.toExponential(2);
}

export function formatThroughput(imagesPerSecond: number | null | undefined): string {
  if (missing(imagesPerSecond)) return '—';
  return `${imagesPerSecond < 10 ? imagesPerSecond.toFixed(1) : formatCount(imagesPerSecond)} images/s`;
}

/** 11168832 -> '11.17 M'; exact counts go in a title. */
export function formatParams(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return String(n);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${bytes} B`;
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** 'cat 14 (58%), dog 7 (29%), car 3 (13%)': folders by size, largest first; the rest counted after `shown`. */
export function folderCountsText(names: readonly string[], counts: readonly number[], shown = 6): string {
  const total = counts.reduce((a, b) => a + b, 0);
  const order = names.map((name, i) => ({ name, count: counts[i] ?? 0 })).sort((a, b) => b.count - a.count);
  const listed = order
    .slice(0, shown)
    .map(({ name, count }) => `${name} ${count} (${total > 0 ? Math.round((100 * count) / total) : 0}%)`);
  const rest = order.length - shown;
  return rest > 0 ? `${listed.join(', ')} and ${rest} more` : listed.join(', ');
}
