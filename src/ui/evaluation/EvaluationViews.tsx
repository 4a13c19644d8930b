import type uPlot from 'uplot';
import { evaluation, isRunActive, runLinearProbe, useAppStore } from '../../store';
import { ChartFigure } from '../charts/ChartFigure';
import { chartOptions, percentTicks } from '../charts/chart-options';
import { folderCountsText, formatCount, formatPercent } from '../format';
import { useBufferSnapshot } from '../hooks/useBufferSnapshot';
import '../health/health.css';
import './evaluation.css';

const KNN_OPTIONS = chartOptions({
  y: [{ label: 'accuracy', ticks: percentTicks, range: [0, 1] }],
  series: [
    { label: 'kNN k = 20', colour: '#1d4ed8', format: formatPercent, points: true },
    { label: 'kNN k = 200', colour: '#047857', format: formatPercent, points: true, dashed: true },
  ],
});

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
                {formatPercent(s.last20)}
              </dd>
            </div>
            <div>
              <dt>kNN accuracy, k = 200</dt>
              <dd data-testid="knn-k200" data-value={s.last200 ?? ''}>
                {formatPercent(s.last200)}
              </dd>
            </div>
            <div>
              <dt>Baseline (largest class)</dt>
              <dd data-testid="knn-majority" data-value={s.knn?.majority ?? ''}>
                {formatPercent(s.knn?.majority)}
              </dd>
            </div>
            <div>
              <dt>Classes / held-out images</dt>
              <dd>
                {formatCount(s.labelNames.length)} / {formatCount(s.knn?.testCount)}
              </dd>
            </div>
          </dl>
          {folders && folders.names.length > 0 && (
            <p className="muted small" data-testid="label-counts">
              Images per label: {folderCountsText(folders.names, folders.counts, folders.names.length)}.
            </p>
          )}
          <ChartFigure
            testId="knn-chart"
            attributes={{ 'data-points': s.points }}
            title="Weighted kNN accuracy on the held-out images (t = 0.1, cosine on h), from the untrained encoder on"
            help={`Each held-out image takes the label its 20 or 200 nearest neighbours in the memory bank vote for. Good: it climbs well above the baseline of always guessing the largest class (${formatPercent(s.knn?.majority)}).`}
            options={KNN_OPTIONS}
            data={s.data}
            height={170}
            waiting={s.points === 0 ? 'Appears once the data set has been embedded.' : null}
          />
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
                Linear probe (encoder at step {formatCount(probe.step)}): held-out accuracy{' '}
                <strong>{formatPercent(probe.testAccuracy)}</strong> on {formatCount(probe.testCount)} images, against a
                baseline of{' '}
                <span data-testid="probe-majority" data-value={probe.majority}>
                  {formatPercent(probe.majority)}
                </span>{' '}
                for always guessing the largest class ({formatPercent(probe.trainAccuracy)} on the{' '}
                {formatCount(probe.trainCount)} training images).
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
