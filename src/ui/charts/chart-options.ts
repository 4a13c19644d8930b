/**
 * uPlot options for every line chart, from a short spec: labelled axes with tick values sized to fit them,
 * and a legend that shows the latest values while the cursor is off the plot (uPlot's shows "--").
 */
import uPlot from 'uplot';
import { formatCount } from '../format';

export type ChartOptions = Omit<uPlot.Options, 'width' | 'height'>;
export type Format = (v: number) => string;
/** Tick texts for the values uPlot picked, `increment` apart. */
export type TickFormat = (values: number[], increment: number) => string[];

export interface AxisSpec {
  /** Name and unit, short enough to fit beside the plot: 'loss (nats)'. */
  label: string;
  ticks: TickFormat;
  /** uPlot scale key: 'x', 'y' (the default for a y axis) or a second y scale. */
  scale?: string;
  range?: [number, number];
  /** Put this y axis on the right (a second scale). */
  right?: boolean;
  /** The tick spacings allowed (whole steps: no 2.5). */
  increments?: number[];
}

export interface SeriesSpec {
  label: string;
  colour: string;
  /** The legend's value at the hovered point. */
  format: Format;
  /** The legend's value with the cursor off the plot; the latest value by default. */
  idle?: (xs: ArrayLike<number>, ys: ArrayLike<number | null>) => string;
  dashed?: boolean;
  points?: boolean;
  scale?: string;
  /** Bars filling their bin (histograms) instead of a line. */
  bars?: boolean;
}

export interface ChartSpec {
  x?: AxisSpec;
  /** The x value in the legend; a whole-number step by default. */
  xFormat?: Format;
  /** The x legend entry with the cursor off the plot; the latest x by default. */
  xIdle?: string;
  y: AxisSpec[];
  series: SeriesSpec[];
}

/** The last finite value of a series (uPlot series may hold nulls), or null. */
export function lastFinite(values: ArrayLike<number | null | undefined>): number | null {
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) return v;
  }
  return null;
}

/** Digits after the point that tell ticks `increment` apart: 0.25 -> 2, 0.1 -> 1, 5 -> 0. */
export function decimalsFor(increment: number): number {
  if (!(increment > 0) || !Number.isFinite(increment)) return 0;
  const text = String(Number(increment.toPrecision(6)));
  if (text.includes('e-')) return Number(text.split('e-')[1]) + (text.split('e')[0]?.split('.')[1]?.length ?? 0);
  return text.split('.')[1]?.length ?? 0;
}

/** Plain decimals with as many digits as the tick spacing needs: 0, 0.5, 1. */
export const decimalTicks: TickFormat = (values, increment) => {
  const digits = decimalsFor(increment);
  return values.map((v) => (v === 0 ? '0' : v.toFixed(digits)));
};

/** Ticks of a share (0..1) as percentages: 0%, 25%, 50%. */
export const percentTicks: TickFormat = (values, increment) => {
  const digits = decimalsFor(increment * 100);
  return values.map((v) => `${(v * 100).toFixed(digits)}%`);
};

/** Values already in percent (a histogram's share per bin): 0%, 2.5%, 5%. */
export const percentPointTicks: TickFormat = (values, increment) => decimalTicks(values, increment).map((t) => `${t}%`);

/** Whole numbers with thousands separators (steps, counts). */
export const countTicks: TickFormat = (values) => values.map((v) => formatCount(v));

/** Mantissa digits that write `v` without rounding it (0.00025 -> 1: '2.5e-4'), at most 4. */
function mantissaDigits(v: number): number {
  for (let digits = 0; digits < 4; digits++) {
    if (Math.abs(Number(v.toExponential(digits)) - v) <= Math.abs(v) * 1e-6) return digits;
  }
  return 4;
}

/** Exponent form, all ticks with the mantissa digits the most precise one needs: 2.5e-4, 5.0e-4, 7.5e-4. */
export const scientificTicks: TickFormat = (values) => {
  const digits = Math.max(0, ...values.filter((v) => v !== 0).map(mantissaDigits));
  return values.map((v) => (v === 0 ? '0' : v.toExponential(digits)));
};

/** The training step, the x axis of every chart over time. */
export const STEP_AXIS: AxisSpec = {
  label: 'training step',
  ticks: countTicks,
  increments: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000],
};

/** Room for a label's line of text beside or under the tick values (uPlot's default is 30 px). */
const LABEL_SIZE = 20;

/** Pixels for an axis's tick marks and its widest value text (uPlot adds the label's size on top). */
export function axisSize(texts: readonly string[] | null): number {
  const longest = Math.max(3, ...(texts ?? []).map((t) => t.length));
  return 10 + 5 + Math.ceil(longest * 7) + 4;
}

function axisOptions(spec: AxisSpec, side: number, isX: boolean): uPlot.Axis {
  return {
    scale: spec.scale ?? (isX ? 'x' : 'y'),
    label: spec.label,
    side,
    // Ticks no closer than this many pixels: small charts still get three or more values per axis.
    space: isX ? 60 : 20,
    labelSize: LABEL_SIZE,
    values: (_u, splits, _axis, _space, increment) => spec.ticks(splits, increment),
    // x: tick marks, gap and one line of values; y: as wide as the widest value.
    size: isX ? 32 : (_u: uPlot, texts: string[] | null) => axisSize(texts),
    ...(spec.increments ? { incrs: spec.increments } : {}),
    ...(spec.right ? { grid: { show: false } } : {}),
  };
}

function legendValue(series: SeriesSpec) {
  return (u: uPlot, raw: number | null, seriesIndex: number, index: number | null): string => {
    if (index !== null && raw !== null) return series.format(raw);
    const xs = (u.data[0] ?? []) as ArrayLike<number>;
    const ys = (u.data[seriesIndex] ?? []) as ArrayLike<number | null>;
    if (series.idle) return series.idle(xs, ys);
    const last = lastFinite(ys);
    return last === null ? '—' : series.format(last);
  };
}

/** Builds the options once (keep the result at module level: a new object rebuilds the chart). */
export function chartOptions(spec: ChartSpec): ChartOptions {
  const x = spec.x ?? STEP_AXIS;
  const xFormat = spec.xFormat ?? formatCount;
  const scales: uPlot.Scales = { x: { time: false, ...(x.range ? { range: x.range } : {}) } };
  for (const axis of spec.y) scales[axis.scale ?? 'y'] = axis.range ? { range: axis.range } : { auto: true };
  const bars = uPlot.paths.bars?.({ size: [1, Number.POSITIVE_INFINITY], gap: 1 });
  return {
    scales,
    axes: [axisOptions(x, 2, true), ...spec.y.map((axis) => axisOptions(axis, axis.right ? 1 : 3, false))],
    series: [
      {
        label: x.label,
        value: (u: uPlot, raw: number | null, _s: number, index: number | null) => {
          if (index !== null && raw !== null) return xFormat(raw);
          const last = lastFinite((u.data[0] ?? []) as ArrayLike<number>);
          if (spec.xIdle !== undefined) return spec.xIdle;
          return last === null ? '—' : xFormat(last);
        },
      },
      ...spec.series.map(
        (s): uPlot.Series => ({
          label: s.label,
          stroke: s.colour,
          width: 1.5,
          scale: s.scale ?? 'y',
          value: legendValue(s),
          ...(s.dashed ? { dash: [6, 4] } : {}),
          ...(s.points ? { points: { show: true } } : {}),
          ...(s.bars && bars ? { paths: bars, fill: `${s.colour}66`, points: { show: false } } : {}),
        }),
      ),
    ],
    legend: { show: true },
  };
}
