import type uPlot from 'uplot';
import { metrics } from '../../store';
import { ChartFigure } from '../charts/ChartFigure';
import { chartOptions, decimalTicks, scientificTicks } from '../charts/chart-options';
import { formatLearningRate, formatLoss } from '../format';
import { useBufferSnapshot } from '../hooks/useBufferSnapshot';

const LOSS_OPTIONS = chartOptions({
  y: [{ label: 'loss (nats)', ticks: decimalTicks }],
  series: [{ label: 'NT-Xent loss', colour: '#1d4ed8', format: formatLoss }],
});

const LR_OPTIONS = chartOptions({
  y: [{ label: 'learning rate', ticks: scientificTicks }],
  series: [{ label: 'learning rate', colour: '#7c3aed', format: formatLearningRate }],
});

function readSeries(series: typeof metrics.loss) {
  const { steps, values } = series.toArrays();
  return { data: [steps, values] as uPlot.AlignedData, points: steps.length, last: values.at(-1) };
}

const WAITING = 'Waiting for the first metrics: they arrive every few steps once a run starts.';

/** Loss per step, and the learning rate schedule in a small chart under it. */
export function LossCharts() {
  const loss = useBufferSnapshot(metrics, () => readSeries(metrics.loss));
  const lr = useBufferSnapshot(metrics, () => readSeries(metrics.learningRate));
  return (
    <>
      <ChartFigure
        testId="loss-chart"
        attributes={{ 'data-points': loss.points, 'data-last': loss.last ?? '' }}
        title="Loss (NT-Xent) per step"
        help="How well each image's two views pick each other out of the batch. Good: it falls fast, then slowly; it never reaches 0, and a bigger batch starts higher (about ln(2N − 1) for N images)."
        options={LOSS_OPTIONS}
        data={loss.data}
        height={200}
        waiting={loss.points === 0 ? WAITING : null}
      />
      <ChartFigure
        testId="lr-chart"
        attributes={{ 'data-points': lr.points, 'data-last': lr.last ?? '' }}
        title="Learning rate (warm-up, then cosine decay)"
        help="The step size of the optimizer, set by the schedule, not learned: it rises linearly during warm-up, then falls along a cosine to 0 at the last step."
        options={LR_OPTIONS}
        data={lr.data}
        height={160}
        waiting={lr.points === 0 ? WAITING : null}
      />
    </>
  );
}
