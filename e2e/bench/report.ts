import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One measured figure. Extra keys describe the configuration it was measured with. */
export interface BenchMetric {
  metric: string;
  value: number;
  unit: string;
  [config: string]: string | number | boolean | null;
}

export type BenchProfile = 'quick' | 'full' | 'quality' | 'fine-tune' | 'cpu';

/** `BENCH_PROFILE=full npm run bench` for machines with a GPU; quick is sized for a 2-core machine without one. */
export const PROFILE: BenchProfile = (process.env.BENCH_PROFILE as BenchProfile | undefined) ?? 'quick';

export const RESULTS_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench-results', 'results.jsonl');

/** Prints the figure as one JSON line and appends it to bench-results/results.jsonl for the closing table. */
export function report(metric: BenchMetric): void {
  const line = JSON.stringify({ ...metric, profile: PROFILE });
  console.log(line);
  mkdirSync(dirname(RESULTS_FILE), { recursive: true });
  appendFileSync(RESULTS_FILE, `${line}\n`);
}
