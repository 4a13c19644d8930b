import type uPlot from 'uplot';
import { evaluation } from '../../store';
import { ChartFigure } from '../charts/ChartFigure';
import { chartOptions, decimalTicks, percentTicks } from '../charts/chart-options';
import { formatPercent, formatSignificant, formatSimilarity } from '../format';
import { useBufferSnapshot } from '../hooks/useBufferSnapshot';
import { CollapseWarning } from './CollapseWarning';
import { SimilarityHistogram } from './SimilarityHistogram';
import './health.css';

const TOPK_OPTIONS = chartOptions({
  y: [{ label: 'accuracy', ticks: percentTicks, range: [0, 1] }],
  series: [
    { label: 'top-1', colour: '#1d4ed8', format: formatPercent },
    { label: 'top-5', colour: '#7c3aed', format: formatPercent, dashed: true },
  ],
});

const ALIGN_OPTIONS = chartOptions({
  y: [
    { label: 'alignment', ticks: decimalTicks, scale: 'a' },
    { label: 'uniformity', ticks: decimalTicks, scale: 'u', right: true },
  ],
  series: [
    { label: 'alignment (left axis)', colour: '#047857', format: formatSimilarity, scale: 'a' },
    { label: 'uniformity (right axis)', colour: '#c2410c', format: formatSimilarity, scale: 'u', dashed: true },
  ],
});

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
            {h ? `${formatPercent(h.top1)} / ${formatPercent(h.top5)}` : '—'}
          </dd>
        </div>
        <div>
          <dt>Alignment / uniformity</dt>
          <dd data-testid="alignment" data-value={h?.alignment ?? ''}>
            {h ? `${formatSimilarity(h.alignment)} / ${formatSimilarity(h.uniformity)}` : '—'}
          </dd>
        </div>
        <div>
          <dt>Spread of h (std per dimension)</dt>
          <dd data-testid="representation-std" data-value={h?.representationStd ?? ''}>
            {h
              ? `${formatSignificant(h.representationStd, 3)} (1/√d = ${formatSignificant(1 / Math.sqrt(h.representationDim), 3)})`
              : '—'}
          </dd>
        </div>
      </dl>
      <ChartFigure
        testId="topk-chart"
        attributes={{ 'data-points': s.points }}
        title="Contrastive accuracy in the batch"
        help="How often the other view of the same image is the most similar (top-1) or among the 5 most similar (top-5) of the 2N − 1 other views. Good: both climb towards 100%; chance is 1/(2N − 1)."
        options={TOPK_OPTIONS}
        data={s.topk}
        height={170}
        waiting={s.points === 0 ? 'Appears with the first metrics.' : null}
      />
      <ChartFigure
        testId="alignment-chart"
        attributes={{ 'data-points': s.points }}
        title="Alignment and uniformity (Wang & Isola 2020, on z)"
        help="Alignment: mean squared distance between the two views of an image (0 to 4). Uniformity: log of the mean of exp(−2 × squared distance) over all pairs (0 down to about −4). Good: both fall; alignment near 0 with uniformity near 0 too is collapse."
        options={ALIGN_OPTIONS}
        data={s.align}
        height={170}
        waiting={s.points === 0 ? 'Appears with the first metrics.' : null}
      />
    </section>
  );
}
