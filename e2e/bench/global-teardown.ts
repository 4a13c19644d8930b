import { existsSync, readFileSync } from 'node:fs';
import { type BenchMetric, RESULTS_FILE } from './report';

/** Prints every figure of this run as a readable table after the JSON lines. */
export default function globalTeardown(): void {
  if (!existsSync(RESULTS_FILE)) return;
  const rows = readFileSync(RESULTS_FILE, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as BenchMetric);
  const width = Math.max(...rows.map((r) => r.metric.length), 6);
  const unitWidth = Math.max(...rows.map((r) => r.unit.length), 4);
  // A figure measured for several configurations carries a `label` naming its configuration.
  console.log(`\n${'metric'.padEnd(width)}  ${'value'.padStart(12)}  ${'unit'.padEnd(unitWidth)}  configuration`);
  for (const row of rows) {
    const value = Number.isInteger(row.value) ? String(row.value) : row.value.toPrecision(4);
    const label = typeof row.label === 'string' ? row.label : '';
    console.log(
      `${row.metric.padEnd(width)}  ${value.padStart(12)}  ${row.unit.padEnd(unitWidth)}  ${label}`.trimEnd(),
    );
  }
}
