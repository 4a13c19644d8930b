import { useMemo } from 'react';
import type uPlot from 'uplot';
import type { HealthSnapshot } from '../../store';
import { ChartFigure } from '../charts/ChartFigure';
import { chartOptions, decimalTicks, percentPointTicks } from '../charts/chart-options';
import { formatCount, formatSimilarity } from '../format';
import { binCentres, histogramCount, histogramMean, sharesPercent } from './histogram-data';

const share = (v: number) => `${v.toFixed(1)}%`;
const mean = (xs: ArrayLike<number>, ys: ArrayLike<number | null>) => {
  const m = histogramMean(xs, ys);
  return m === null ? '—' : `mean ${formatSimilarity(m)}`;
};

const OPTIONS = chartOptions({
  x: { label: 'cosine similarity', ticks: decimalTicks, range: [-1, 1] },
  xFormat: formatSimilarity,
  xIdle: 'hover for one bin',
  y: [{ label: '% of pairs', ticks: percentPointTicks }],
  series: [
    { label: 'positive pairs (% of positives)', colour: '#047857', format: share, idle: mean, bars: true },
    { label: 'negative pairs (% of negatives)', colour: '#c2410c', format: share, idle: mean, bars: true },
  ],
});

const EMPTY: uPlot.AlignedData = [[], [], []];

function histogramData(health: HealthSnapshot | null): uPlot.AlignedData {
  if (!health) return EMPTY;
  return [
    binCentres(health.positiveHistogram.length),
    sharesPercent(health.positiveHistogram),
    sharesPercent(health.negativeHistogram),
  ];
}

/** Positive-pair vs negative-pair cosine similarity, each as shares of its own count, over [-1, 1]. */
export function SimilarityHistogram({ health }: { health: HealthSnapshot | null }) {
  const data = useMemo(() => histogramData(health), [health]);
  const counts = health
    ? ` ${formatCount(histogramCount(health.positiveHistogram))} positive and ${formatCount(histogramCount(health.negativeHistogram))} negative pairs;`
    : '';
  return (
    <ChartFigure
      testId="similarity-histogram"
      attributes={{ 'data-bins': health?.positiveHistogram.length ?? 0, 'data-step': health?.step ?? '' }}
      title={`Similarity of positive vs negative pairs in the batch${health ? ` (step ${formatCount(health.step)})` : ''}`}
      help={`Each histogram is shown as shares of its own count (${counts.trim() || 'there are about 2N times more negatives than positives;'} each sums to 100%), so the few positives are not dwarfed. Good: positives move right towards +1 while negatives stay spread around 0.`}
      options={OPTIONS}
      data={data}
      height={200}
      waiting={health ? null : 'Appears with the first metrics.'}
    />
  );
}
