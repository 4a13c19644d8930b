/** report/report.md of the export bundle: the run's figures and settings, and the chart images. */
import type { ExportMetadata } from '../../protocol/messages';
import { formatCount, formatLoss } from '../../protocol/number-format';

export interface ChartImage {
  /** File name inside report/, e.g. 'loss.png'. */
  name: string;
  title: string;
  png: Uint8Array;
}

function configRows(value: unknown, prefix = ''): string[] {
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => configRows(v, prefix ? `${prefix}.${k}` : k));
  }
  return [`| \`${prefix}\` | ${String(value)} |`];
}

export function runReport(metadata: ExportMetadata, charts: readonly ChartImage[], datasetFingerprint: string): string {
  const figures = [
    `| steps trained | ${formatCount(metadata.stepsTrained)} |`,
    `| final loss | ${formatLoss(metadata.finalLoss)} (exact: \`metadata.json\`) |`,
    `| images | ${formatCount(metadata.imageCount)} |`,
    `| data-set fingerprint | \`${datasetFingerprint}\` |`,
    `| backend | ${metadata.backend} |`,
    `| representation size | ${metadata.representationDim} |`,
    `| exported | ${metadata.createdAt} |`,
  ];
  const images = charts.length
    ? charts.map((c) => `### ${c.title}\n\n![${c.title}](${c.name})\n`).join('\n')
    : '_No charts were on screen when the bundle was made._\n';
  return `# simclr-tab run report

## Figures

| | |
| --- | --- |
${figures.join('\n')}

Per-step loss and learning rate: \`metrics.csv\`.

## Charts

${images}
## Settings

| setting | value |
| --- | --- |
${configRows(metadata.config).join('\n')}
`;
}
