/** Similarity histograms as chart data: bins over [-1, 1], each histogram as shares of its own count. */

/** Centres of `bins` equal bins over [-1, 1]. */
export function binCentres(bins: number): number[] {
  const width = 2 / bins;
  return Array.from({ length: bins }, (_, i) => -1 + (i + 0.5) * width);
}

/**
 * Each bin's share of the histogram's own count, in percent: positives (N pairs) and negatives (about 2N²
 * pairs) then have the same area, so the few positives are not dwarfed by the many negatives.
 */
export function sharesPercent(counts: ArrayLike<number>): number[] {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i] ?? 0;
  return Array.from({ length: counts.length }, (_, i) => (total > 0 ? (100 * (counts[i] ?? 0)) / total : 0));
}

/** The mean similarity a histogram describes (bin centres weighted by share), or null when it is empty. */
export function histogramMean(centres: ArrayLike<number>, shares: ArrayLike<number | null>): number | null {
  let weight = 0;
  let sum = 0;
  for (let i = 0; i < centres.length; i++) {
    const share = shares[i] ?? 0;
    weight += share;
    sum += share * (centres[i] ?? 0);
  }
  return weight > 0 ? sum / weight : null;
}

export function histogramCount(counts: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i] ?? 0;
  return total;
}
