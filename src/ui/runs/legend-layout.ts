export interface LegendEntry {
  /** 'loss 4.852': the series name and the value the legend shows. */
  label: string;
  /** CSS colour of the series' swatch; '' for the x series, which has none. */
  colour: string;
}

/** Legend entries of `widths` in rows no wider than `maxWidth`, `gap` apart: where each starts. */
export function legendRows(widths: readonly number[], maxWidth: number, gap: number): { x: number; row: number }[] {
  const places: { x: number; row: number }[] = [];
  let x = 0;
  let row = 0;
  for (const width of widths) {
    if (x > 0 && x + width > maxWidth) {
      row += 1;
      x = 0;
    }
    places.push({ x, row });
    x += width + gap;
  }
  return places;
}
