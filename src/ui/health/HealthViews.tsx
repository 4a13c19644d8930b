import type uPlot from 'uplot';
import { evaluation } from '../../store';
import { useBufferSnapshot } from '../hooks/useBufferSnapshot';
import { STEP_AXIS } from '../train/LossCharts';
import { type ChartOptions, UplotChart } from '../train/UplotChart';
import { CollapseWarning } from './CollapseWarning';
import { SimilarityHistogram } from './SimilarityHistogram';
import './health.css';

const TOPK_OPTIONS: ChartOptions = {
  scales: { x: { time: false }, y: { range: [0, 1] } },
  axes: [STEP_AXIS, { label: 'accuracy', size: 50 }],
  series: [
    { label: 'step' },
    { label: 'top-1', stroke: '#1d4ed8', width: 1.5 },
    { label: 'top-5', stroke: '#7c3aed', width: 1.5, dash: [6, 4] },
  ],
  legend: { show: true },
};

const ALIGN_OPTIONS: ChartOptions = {
  scales: { x: { time: false }, a: { auto: true }, u: { auto: true } },
  axes: [
    STEP_AXIS,
    { scale: 'a', label: 'alignment', size: 50 },
    { scale: 'u', label: 'uniformity', side: 1, size: 50, grid: { show: false } },
  ],
  series: [
    { label: 'step' },
    { label: 'alignment (lower: positives closer)', stroke: '#047857', width: 1.5, scale: 'a' },
    { label: 'uniformity (lower: more spread)', stroke: '#c2410c', width: 1.5, scale: 'u', dash: [6, 4] },
  ],
  legend: { show: true },
};

function read() {
  const top1 = evaluation.top1.toArrays();
  const top5 = evaluation.top5.toArrays();
  const align = evaluation.alignment.toArrays();
  const uniform = evaluation.uniformity.toArrays();
  return {
    health: evaluation.health,
    topk: [top1.steps, top1.values, top5.values] as uPlot.AlignedData,
    align: [align.steps, align.values, uniform.values] as uPlot.AlignedData,
    points: top1.steps.length,
  };
}

const fmt = (v: number | undefined, digits = 3) => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits));

/** Label-free health of the last metrics batch: histograms, contrastive accuracy, alignment/uniformity, spread. */
export function HealthViews() {
  const s = useBufferSnapshot(evaluation, read);
  const h = s.health;
  return (
    <section className="health" aria-label="Representation health" data-testid="health-views" data-step={h?.step ?? ''}>
      <h3>Representation health (no labels needed)</h3>
      {h && <CollapseWarning std={h.representationStd} dim={h.representationDim} collapsed={h.collapsed} />}
      <SimilarityHistogram health={h} />
      <dl className="health-stats">
        <div>
          <dt>Contrastive top-1 / top-5</dt>
          <dd data-testid="contrastive-top1" data-value={h?.top1 ?? ''}>
            {h ? `${fmt(h.top1 * 100, 1)}% / ${fmt(h.top5 * 100, 1)}%` : '—'}
          </dd>
        </div>
        <div>
          <dt>Alignment / uniformity</dt>
          <dd data-testid="alignment" data-value={h?.alignment ?? ''}>
            {h ? `${fmt(h.alignment)} / ${fmt(h.uniformity)}` : '—'}
          </dd>
        </div>
        <div>
          <dt>Spread of h (std per dimension)</dt>
          <dd data-testid="representation-std" data-value={h?.representationStd ?? ''}>
            {h ? `${fmt(h.representationStd, 4)} (1/√d = ${fmt(1 / Math.sqrt(h.representationDim), 4)})` : '—'}
          </dd>
        </div>
      </dl>
      <p className="muted small">
        Top-k: how often the other view of the same image is among the k most similar of the 2N−1 other views in the
        batch. Alignment and uniformity follow Wang &amp; Isola (2020) on the projections z.
      </p>
      <figure className="chart small-chart" data-testid="topk-chart" data-points={s.points}>
        <figcaption>Contrastive accuracy in the batch</figcaption>
        <UplotChart options={TOPK_OPTIONS} data={s.topk} height={140} />
        {s.points === 0 && <p className="chart-placeholder">Appears with the first metrics.</p>}
      </figure>
      <figure className="chart small-chart" data-testid="alignment-chart" data-points={s.points}>
        <figcaption>Alignment and uniformity</figcaption>
        <UplotChart options={ALIGN_OPTIONS} data={s.align} height={140} />
        {s.points === 0 && <p className="chart-placeholder">Appears with the first metrics.</p>}
      </figure>
    </section>
  );
}
