import type uPlot from 'uplot';
import { metrics } from '../../store';
import { ChartFigure } from '../charts/ChartFigure';
import { chartOptions, decimalTicks } from '../charts/chart-options';
import { formatSimilarity } from '../format';
import { useBufferSnapshot } from '../hooks/useBufferSnapshot';

const OPTIONS = chartOptions({
  y: [{ label: 'cosine similarity', ticks: decimalTicks }],
  series: [
    { label: 'positive pairs', colour: '#047857', format: formatSimilarity },
    { label: 'negative pairs', colour: '#c2410c', format: formatSimilarity, dashed: true },
  ],
});

function read() {
  const positive = metrics.positive.toArrays();
  const negative = metrics.negative.toArrays();
  return {
    data: [positive.steps, positive.values, negative.values] as uPlot.AlignedData,
    points: positive.steps.length,
    lastPositive: positive.values.at(-1),
    lastNegative: negative.values.at(-1),
  };
}

/** Mean cosine similarity of positive vs negative pairs: they should separate as the encoder learns. */
export function SimilarityChart() {
  const s = useBufferSnapshot(metrics, read);
  return (
    <ChartFigure
      testId="similarity-chart"
      attributes={{
        'data-points': s.points,
        'data-last-positive': s.lastPositive ?? '',
        'data-last-negative': s.lastNegative ?? '',
      }}
      title="Mean similarity of positive pairs (two views of one image) vs negative pairs"
      help="Cosine similarity of the projections z, from −1 to 1. Good: the positive line rises towards 1 while the negative line stays near 0; a gap that closes or both lines near 1 mean collapse."
      options={OPTIONS}
      data={s.data}
      height={200}
      waiting={s.points === 0 ? 'Waiting for the first metrics: positive pairs should rise above negatives.' : null}
    />
  );
}
