import type uPlot from 'uplot';
import { metrics } from '../../store';
import { useBufferSnapshot } from '../hooks/useBufferSnapshot';
import { type ChartOptions, UplotChart } from './UplotChart';

/** Steps are whole numbers: no 1.5 ticks. */
export const STEP_AXIS: uPlot.Axis = {
  label: 'step',
  incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000],
};

const LOSS_OPTIONS: ChartOptions = {
  scales: { x: { time: false } },
  axes: [STEP_AXIS, { label: 'NT-Xent loss', size: 60 }],
  series: [{ label: 'step' }, { label: 'loss', stroke: '#1d4ed8', width: 1.5 }],
  legend: { show: true },
};

const LR_OPTIONS: ChartOptions = {
  scales: { x: { time: false } },
  axes: [
    STEP_AXIS,
    {
      size: 60,
      values: (_u: uPlot, values: number[]) => values.map((v) => v.toExponential(1)),
    },
  ],
  series: [
    { label: 'step' },
    {
      label: 'learning rate',
      stroke: '#7c3aed',
      width: 1.5,
      value: (_u: uPlot, v: number | null) => (v === null ? '—' : v.toExponential(2)),
    },
  ],
  legend: { show: true },
};

function readSeries(series: typeof metrics.loss) {
  const { steps, values } = series.toArrays();
  return { data: [steps, values] as uPlot.AlignedData, points: steps.length, last: values.at(-1) };
}

function Waiting() {
  return (
    <p className="chart-placeholder">Waiting for the first metrics: they arrive every few steps once a run starts.</p>
  );
}

/** Loss per step, and the learning rate schedule in a small chart under it. */
export function LossCharts() {
  const loss = useBufferSnapshot(metrics, () => readSeries(metrics.loss));
  const lr = useBufferSnapshot(metrics, () => readSeries(metrics.learningRate));
  return (
    <>
      <figure className="chart" data-testid="loss-chart" data-points={loss.points} data-last={loss.last ?? ''}>
        <figcaption>Loss (NT-Xent) per step</figcaption>
        <UplotChart options={LOSS_OPTIONS} data={loss.data} height={200} />
        {loss.points === 0 && <Waiting />}
      </figure>
      <figure className="chart small-chart" data-testid="lr-chart" data-points={lr.points} data-last={lr.last ?? ''}>
        <figcaption>Learning rate (warm-up, then cosine decay)</figcaption>
        <UplotChart options={LR_OPTIONS} data={lr.data} height={120} />
        {lr.points === 0 && <Waiting />}
      </figure>
    </>
  );
}
