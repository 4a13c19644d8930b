import type { ReactNode } from 'react';

/** What a chart shows and what good looks like, in one short line under it. */
export function ChartHelp({ children }: { children: ReactNode }) {
  return <p className="chart-help">{children}</p>;
}
