import type uPlot from 'uplot';
import { metrics } from '../../store';
import { useBufferSnapshot } from '../hooks/useBufferSnapshot';
import { STEP_AXIS } from './LossCharts';
import { type ChartOptions, UplotChart } from './UplotChart';

const OPTIONS: ChartOptions = {
  scales: { x: { time: false } },
  axes: [STEP_AXIS, { label: 'cosine similarity', size: 60 }],
  series: [
    { label: 'step' },
    { label: 'positive pairs', stroke: '#047857', width: 1.5 },
    { label: 'negative pairs', stroke: '#c2410c', width: 1.5, dash: [6, 4] },
  ],
  legend: { show: true },
};

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
    <figure
      className="chart"
      data-testid="similarity-chart"
      data-points={s.points}
      data-last-positive={s.lastPositive ?? ''}
      data-last-negative={s.lastNegative ?? ''}
    >
      <figcaption>Mean similarity of positive pairs (two views of one image) vs negative pairs</figcaption>
      <UplotChart options={OPTIONS} data={s.data} height={200} />
      {s.points === 0 && (
        <p className="chart-placeholder">Waiting for the first metrics: positive pairs should rise above negatives.</p>
      )}
    </figure>
  );
}
