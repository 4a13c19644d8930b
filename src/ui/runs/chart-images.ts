/** The training charts on screen as PNGs for the run report (uPlot draws on canvases). */
import type { ChartImage } from '../../store';

const CHARTS = [
  { testId: 'loss-chart', name: 'loss.png', title: 'NT-Xent loss per step' },
  { testId: 'lr-chart', name: 'learning-rate.png', title: 'Learning rate per step' },
  { testId: 'similarity-chart', name: 'similarity.png', title: 'Positive and negative pair similarity' },
] as const;

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
    const canvas = document.querySelector<HTMLCanvasElement>(`[data-testid="${chart.testId}"] canvas`);
    if (!canvas || canvas.width === 0 || canvas.height === 0) continue;
    const png = await canvasPng(canvas);
    if (png) images.push({ name: chart.name, title: chart.title, png });
  }
  return images;
}
