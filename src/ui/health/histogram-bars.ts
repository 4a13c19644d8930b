export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Bars of a histogram normalized to its own total (a share per bin), tallest share filling `height`. */
export function histogramBars(counts: ArrayLike<number>, width: number, height: number): Bar[] {
  let total = 0;
  let max = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i] ?? 0;
    total += c;
    max = Math.max(max, c);
  }
  if (total <= 0 || counts.length === 0) return [];
  const barWidth = width / counts.length;
  const bars: Bar[] = [];
  for (let i = 0; i < counts.length; i++) {
    const h = ((counts[i] ?? 0) / max) * height;
    if (h > 0) bars.push({ x: i * barWidth, y: height - h, width: Math.max(1, barWidth - 1), height: h });
  }
  return bars;
}
