/**
 * The charts on screen as PNGs for the run report. uPlot draws the plot, tick values and axis labels on its
 * canvas, but the legend is HTML: each image gets the chart's title above and its legend (with the values
 * it shows, the latest ones) below, drawn onto a new canvas.
 */
import type { ChartImage } from '../../store';
import { type LegendEntry, legendRows } from './legend-layout';

const CHARTS = [
  { testId: 'loss-chart', name: 'loss.png', title: 'NT-Xent loss per step' },
  { testId: 'lr-chart', name: 'learning-rate.png', title: 'Learning rate per step' },
  { testId: 'similarity-chart', name: 'similarity.png', title: 'Positive and negative pair similarity' },
  { testId: 'similarity-histogram', name: 'similarity-histogram.png', title: 'Similarity histograms, last batch' },
  { testId: 'topk-chart', name: 'contrastive-accuracy.png', title: 'Contrastive accuracy in the batch' },
  { testId: 'alignment-chart', name: 'alignment-uniformity.png', title: 'Alignment and uniformity' },
  { testId: 'knn-chart', name: 'knn-accuracy.png', title: 'Weighted kNN accuracy on held-out images' },
] as const;

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/** The legend as uPlot shows it: swatch colour, series name, value. */
function legendEntries(figure: Element): LegendEntry[] {
  const entries: LegendEntry[] = [];
  figure.querySelectorAll('.u-legend .u-series').forEach((row, i) => {
    const label = row.querySelector('.u-label')?.textContent?.trim() ?? '';
    const value = row.querySelector('.u-value')?.textContent?.trim() ?? '';
    if (!label) return;
    // The x entry has no line to show: kept only when it says where the values are ('training step 40').
    if (i === 0) {
      if (/^-?[\d,.]+$/.test(value)) entries.push({ label: `${label} ${value}`, colour: '' });
      return;
    }
    const marker = row.querySelector<HTMLElement>('.u-marker');
    entries.push({
      label: value ? `${label} ${value}` : label,
      colour: marker ? getComputedStyle(marker).borderColor : '',
    });
  });
  return entries;
}

function composed(canvas: HTMLCanvasElement, title: string, legend: LegendEntry[]): HTMLCanvasElement {
  const scale = canvas.clientWidth > 0 ? canvas.width / canvas.clientWidth : 1;
  const pad = Math.round(12 * scale);
  const titleHeight = Math.round(24 * scale);
  const rowHeight = Math.round(20 * scale);
  const swatch = Math.round(10 * scale);
  const out = document.createElement('canvas');
  const ctx = out.getContext('2d');
  if (!ctx) return canvas;
  ctx.font = `${Math.round(12 * scale)}px ${FONT}`;
  const widths = legend.map((e) => swatch + Math.round(6 * scale) + ctx.measureText(e.label).width);
  const rows = legendRows(widths, canvas.width, Math.round(18 * scale));
  const rowCount = rows.reduce((n, r) => Math.max(n, r.row + 1), 0);
  // Resizing clears the canvas and its state: fonts are set again below.
  out.width = canvas.width + 2 * pad;
  out.height = pad + titleHeight + canvas.height + pad + rowCount * rowHeight + pad;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = '#111';
  ctx.textBaseline = 'middle';
  ctx.font = `bold ${Math.round(14 * scale)}px ${FONT}`;
  ctx.fillText(title, pad, pad + titleHeight / 2);
  ctx.drawImage(canvas, pad, pad + titleHeight);
  ctx.font = `${Math.round(12 * scale)}px ${FONT}`;
  const top = pad + titleHeight + canvas.height + pad;
  legend.forEach((entry, i) => {
    const place = rows[i];
    if (!place) return;
    const x = pad + place.x;
    const y = top + place.row * rowHeight + rowHeight / 2;
    ctx.fillStyle = entry.colour || '#111';
    if (entry.colour) ctx.fillRect(x, y - swatch / 2, swatch, swatch);
    ctx.fillStyle = '#111';
    ctx.fillText(entry.label, x + swatch + Math.round(6 * scale), y);
  });
  return out;
}

function canvasPng(canvas: HTMLCanvasElement): Promise<Uint8Array | null> {
  return new Promise((resolve) => {
    canvas.toBlob((blob) => {
      if (!blob) resolve(null);
      else
        blob.arrayBuffer().then(
          (b) => resolve(new Uint8Array(b)),
          () => resolve(null),
        );
    }, 'image/png');
  });
}

export async function collectChartImages(): Promise<ChartImage[]> {
  const images: ChartImage[] = [];
  for (const chart of CHARTS) {
    const figure = document.querySelector(`[data-testid="${chart.testId}"]`);
    const canvas = figure?.querySelector<HTMLCanvasElement>('canvas');
    // A chart still waiting for its first points is left out, as one not on screen.
    if (!figure || !canvas || canvas.width === 0 || figure.querySelector('.chart-placeholder')) continue;
    const png = await canvasPng(composed(canvas, chart.title, legendEntries(figure)));
    if (png) images.push({ name: chart.name, title: chart.title, png });
  }
  return images;
}
