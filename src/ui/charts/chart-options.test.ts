import type uPlot from 'uplot';
import { describe, expect, it } from 'vitest';
import {
  axisSize,
  chartOptions,
  countTicks,
  decimalsFor,
  decimalTicks,
  lastFinite,
  percentPointTicks,
  percentTicks,
  scientificTicks,
} from './chart-options';

/** Calls a series' legend value as uPlot does: index null when the cursor is off the plot. */
function legend(
  options: ReturnType<typeof chartOptions>,
  data: uPlot.AlignedData,
  series: number,
  index: number | null,
) {
  const value = options.series[series]?.value;
  if (typeof value !== 'function') throw new Error('no value function');
  const raw = index === null ? null : ((data[series]?.[index] as number | null) ?? null);
  return value({ data } as unknown as uPlot, raw as number, series, index as number);
}

describe('tick texts', () => {
  it('carry as many decimals as the tick spacing needs', () => {
    expect(decimalsFor(0.25)).toBe(2);
    expect(decimalsFor(0.1)).toBe(1);
    expect(decimalsFor(5)).toBe(0);
    expect(decimalsFor(2e-7)).toBe(7);
    expect(decimalTicks([0, 0.05, 0.1], 0.05)).toEqual(['0', '0.05', '0.10']);
    expect(decimalTicks([-1, -0.5, 0, 0.5, 1], 0.5)).toEqual(['-1.0', '-0.5', '0', '0.5', '1.0']);
  });

  it('learning rates are written without rounding a tick, in the fewest mantissa digits', () => {
    expect(scientificTicks([0, 0.0001, 0.0002], 0.0001)).toEqual(['0', '1e-4', '2e-4']);
    expect(scientificTicks([0.0001, 0.00015, 0.0002], 0.00005)).toEqual(['1.0e-4', '1.5e-4', '2.0e-4']);
    // uPlot's splits carry float noise; 0.00075 must not read 8e-4.
    expect(scientificTicks([0, 0.00025, 0.0005, 0.00075000000001, 0.001], 0.00025)).toEqual([
      '0',
      '2.5e-4',
      '5.0e-4',
      '7.5e-4',
      '1.0e-3',
    ]);
  });

  it('shares as percentages, steps with thousands separators', () => {
    expect(percentTicks([0, 0.25, 0.5], 0.25)).toEqual(['0%', '25%', '50%']);
    expect(percentTicks([0.1, 0.15], 0.05)).toEqual(['10%', '15%']);
    expect(percentPointTicks([0, 2.5, 5], 2.5)).toEqual(['0%', '2.5%', '5.0%']);
    expect(countTicks([0, 1000, 2000], 1000)).toEqual(['0', '1,000', '2,000']);
  });

  it('a y axis is as wide as its longest tick text', () => {
    expect(axisSize(['1.0e-4', '2.0e-4'])).toBeGreaterThan(axisSize(['0', '1']));
    expect(axisSize(null)).toBe(axisSize(['0']));
  });
});

describe('chart legend', () => {
  const options = chartOptions({
    y: [{ label: 'loss (nats)', ticks: decimalTicks }],
    series: [{ label: 'loss', colour: '#1d4ed8', format: (v) => v.toFixed(2) }],
  });
  const data: uPlot.AlignedData = [
    [1, 2, 3],
    [5.4321, 4.2, null],
  ];

  it('shows the hovered value, and the latest value instead of "--" when nothing is hovered', () => {
    expect(legend(options, data, 1, 0)).toBe('5.43');
    expect(legend(options, data, 1, null)).toBe('4.20');
    expect(legend(options, data, 0, null)).toBe('3');
    expect(legend(options, [[], []], 1, null)).toBe('—');
  });

  it('uses the idle text a series asks for (a histogram shows its mean, not its last bin)', () => {
    const histogram = chartOptions({
      x: { label: 'cosine similarity', ticks: decimalTicks },
      y: [{ label: '% of pairs', ticks: decimalTicks }],
      series: [{ label: 'positives', colour: '#047857', format: String, idle: () => 'mean 0.5', bars: true }],
    });
    expect(
      legend(
        histogram,
        [
          [0, 1],
          [1, 1],
        ],
        1,
        null,
      ),
    ).toBe('mean 0.5');
  });

  it('labels every axis and gives a second y scale its own axis on the right', () => {
    const two = chartOptions({
      y: [
        { label: 'alignment', ticks: decimalTicks, scale: 'a' },
        { label: 'uniformity', ticks: decimalTicks, scale: 'u', right: true },
      ],
      series: [],
    });
    expect(two.axes?.map((a) => [a.label, a.scale, a.side])).toEqual([
      ['training step', 'x', 2],
      ['alignment', 'a', 3],
      ['uniformity', 'u', 1],
    ]);
    expect(Object.keys(two.scales ?? {})).toEqual(['x', 'a', 'u']);
  });
});

describe('lastFinite', () => {
  it('skips trailing gaps and non-finite values', () => {
    expect(lastFinite([1, 2, null, Number.NaN])).toBe(2);
    expect(lastFinite([])).toBeNull();
  });
});
