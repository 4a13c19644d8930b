import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './charts.css';
import { useElementWidth } from '../hooks/useElementWidth';
import type { ChartOptions } from './chart-options';

interface UplotChartProps {
  /** Must be stable (module-level or memoized): a new object rebuilds the chart. */
  options: ChartOptions;
  data: uPlot.AlignedData;
  height: number;
}

/** A uPlot chart that fills its container's width, follows resizes and takes new data without rebuilding. */
export function UplotChart({ options, data, height }: UplotChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef(data);
  latest.current = data;
  const width = useElementWidth(host);

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const chart = new uPlot({ ...options, width: Math.max(200, element.clientWidth), height }, latest.current, element);
    plot.current = chart;
    return () => {
      chart.destroy();
      plot.current = null;
    };
  }, [options, height]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  useEffect(() => {
    if (width > 0) plot.current?.setSize({ width, height });
  }, [width, height]);

  return <div ref={host} className="uplot-host" />;
}
