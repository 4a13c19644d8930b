import type { ReactNode } from 'react';
import type uPlot from 'uplot';
import { ChartHelp } from './ChartHelp';
import type { ChartOptions } from './chart-options';
import { UplotChart } from './UplotChart';
import './charts.css';

interface ChartFigureProps {
  title: string;
  help: ReactNode;
  options: ChartOptions;
  data: uPlot.AlignedData;
  height: number;
  /** Shown over the empty plot until the first point arrives. */
  waiting: string | null;
  testId: string;
  /** data-* attributes the tests read (data-points, data-last, ...). */
  attributes?: Record<`data-${string}`, string | number>;
}

/** A framed line chart: title, the plot with its axes and legend, the help line. */
export function ChartFigure({ title, help, options, data, height, waiting, testId, attributes }: ChartFigureProps) {
  return (
    <figure className="chart" data-testid={testId} {...attributes}>
      <figcaption>{title}</figcaption>
      <div className="chart-plot">
        <UplotChart options={options} data={data} height={height} />
        {waiting && <p className="chart-placeholder">{waiting}</p>}
      </div>
      <ChartHelp>{help}</ChartHelp>
    </figure>
  );
}
