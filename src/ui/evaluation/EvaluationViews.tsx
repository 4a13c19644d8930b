import type uPlot from 'uplot';
import { evaluation, isRunActive, runLinearProbe, useAppStore } from '../../store';
import { folderCountsText } from '../format';
import { useBufferSnapshot } from '../hooks/useBufferSnapshot';
import { STEP_AXIS } from '../train/LossCharts';
import { type ChartOptions, UplotChart } from '../train/UplotChart';
import '../health/health.css';
import './evaluation.css';

const KNN_OPTIONS: ChartOptions = {
  scales: { x: { time: false }, y: { range: [0, 1] } },
  axes: [STEP_AXIS, { label: 'held-out accuracy', size: 50 }],
  series: [
    { label: 'step' },
    { label: 'kNN k=20', stroke: '#1d4ed8', width: 1.5, points: { show: true } },
    { label: 'kNN k=200', stroke: '#047857', width: 1.5, dash: [6, 4], points: { show: true } },
  ],
  legend: { show: true },
};

function read() {
  const k20 = evaluation.knn20.toArrays();
  const k200 = evaluation.knn200.toArrays();
  const map = evaluation.map;
  return {
    data: [k20.steps, k20.values, k200.values] as uPlot.AlignedData,
    points: k20.steps.length,
    last20: k20.values.at(-1),
    last200: k200.values.at(-1),
    knn: map?.knn ?? null,
    labelNames: map?.labelNames ?? [],
    reason: map ? map.labelReason : null,
  };
}

const percent = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(1)}%`);

/** kNN monitor over training and the on-demand linear probe; both need folder labels (evaluation only). */
export function EvaluationViews() {
  const s = useBufferSnapshot(evaluation, read);
  const probe = useAppStore((st) => st.evaluation.probe);
  const phase = useAppStore((st) => st.training.phase);
  const folders = useAppStore((st) => st.dataset.folders);
  const noLabels = s.reason !== null && s.reason !== '';
  return (
    <section className="evaluation" aria-label="Evaluation with labels" data-testid="evaluation-views">
      <h3>Evaluation with labels</h3>
      <p className="muted small">
        Folder names are labels only when you say so in step 1, and are used only here: never for training. A seeded 20%
        of the images is held out; the rest is the memory bank. The baseline is the largest class&apos;s share of the
        held-out images: the accuracy of always guessing it.
      </p>
      {s.reason === null && (
        <p className="muted small">Appears once the data set has been embedded (before the first step).</p>
      )}
      {noLabels && (
        <p className="absent-reason" data-testid="evaluation-absent">
          No kNN monitor or linear probe: {s.reason}
        </p>
      )}
      {s.reason === '' && (
        <>
          <dl className="health-stats">
            <div>
              <dt>kNN accuracy, k = 20</dt>
              <dd data-testid="knn-k20" data-value={s.last20 ?? ''}>
                {percent(s.last20)}
              </dd>
            </div>
            <div>
              <dt>kNN accuracy, k = 200</dt>
              <dd data-testid="knn-k200" data-value={s.last200 ?? ''}>
                {percent(s.last200)}
              </dd>
            </div>
            <div>
              <dt>Baseline (largest class)</dt>
              <dd data-testid="knn-majority" data-value={s.knn?.majority ?? ''}>
                {percent(s.knn?.majority)}
              </dd>
            </div>
            <div>
              <dt>Classes / held-out images</dt>
              <dd>
                {s.labelNames.length} / {s.knn?.testCount ?? '—'}
              </dd>
            </div>
          </dl>
          {folders && folders.names.length > 0 && (
            <p className="muted small" data-testid="label-counts">
              Images per label: {folderCountsText(folders.names, folders.counts, folders.names.length)}.
            </p>
          )}
          <figure className="chart small-chart" data-testid="knn-chart" data-points={s.points}>
            <figcaption>Weighted kNN (t = 0.1, cosine on h), from the untrained encoder on</figcaption>
            <UplotChart options={KNN_OPTIONS} data={s.data} height={160} />
          </figure>
          <div className="probe">
            <button
              type="button"
              onClick={runLinearProbe}
              disabled={probe.status === 'running' || phase === 'preparing'}
              aria-describedby="probe-note"
            >
              {probe.status === 'running' ? 'Running linear probe…' : 'Run linear probe'}
            </button>
            <span id="probe-note" className="muted small">
              Logistic regression on frozen features of the last map pass
              {isRunActive(phase) ? ' (runs beside training)' : ''}.
            </span>
            {probe.status === 'done' && (
              <p data-testid="probe-result" data-value={probe.testAccuracy}>
                Linear probe (encoder at step {probe.step}): held-out accuracy{' '}
                <strong>{percent(probe.testAccuracy)}</strong> on {probe.testCount} images, against a baseline of{' '}
                <span data-testid="probe-majority" data-value={probe.majority}>
                  {percent(probe.majority)}
                </span>{' '}
                for always guessing the largest class ({percent(probe.trainAccuracy)} on the {probe.trainCount} training
                images).
              </p>
            )}
            {probe.status === 'failed' && (
              <p className="error-text" role="alert">
                The linear probe failed: {probe.message}
              </p>
            )}
          </div>
        </>
      )}
    </section>
  );
}
