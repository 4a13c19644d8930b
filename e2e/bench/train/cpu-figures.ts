/**
 * The CPU bench's figures (issue #18, cpu.bench.ts): for each case and browser backend, views/s and the
 * ratio to PyTorch CPU on every core and on one thread, each the median over rounds in which ours and
 * PyTorch's were measured back to back (so a load that comes and goes hits both sides of a ratio alike).
 */
import { type BenchMetric, report } from '../report';
import type { PageCaseResult } from './case-result';
import { caseKeys, type TrainCase } from './cases';
import type { PytorchResult } from './pytorch';

type Config = Record<string, string | number | boolean | null>;

/** One round of one case: each browser backend's result and PyTorch on all cores and on one thread. */
export interface CpuRound {
  ours: Partial<Record<'wasm' | 'webgl', PageCaseResult>>;
  pytorchAll: PytorchResult;
  pytorchOne: PytorchResult;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const round3 = (values: number[]): string => values.map((v) => v.toFixed(3)).join(',');

/** What the page said about the backend it ran on: SIMD and threads for wasm, the renderer for WebGL. */
function backendKeys(r: PageCaseResult): Config {
  if (r.backend === 'wasm')
    return {
      wasm_simd: r.wasmSimd,
      wasm_threads: r.wasmThreads,
      wasm_thread_count: r.wasmThreadCount,
      own_kernel_threads: r.ownKernelThreads,
      own_kernel_helped_share: r.ownKernelHelpedShare,
      own_kernel_helpers: r.ownKernelHelpers,
      ran_in: r.ranIn,
      custom_kernels: r.customKernels.join(' '),
      cross_origin_isolated: r.crossOriginIsolated,
      backend_reason: r.backendReason,
    };
  return {
    webgl_renderer: r.webglRenderer,
    backend_reason: r.backendReason,
    note_webgl: /swiftshader/i.test(r.webglRenderer ?? '')
      ? 'SwiftShader: WebGL emulated on the CPU (no GPU here), not a GPU figure'
      : '',
  };
}

/** Prints every figure of one case; returns the lines. */
export function reportCpuCase(base: Config, c: TrainCase, rounds: CpuRound[], torch: string): BenchMetric[] {
  const keys: Config = { ...base, ...caseKeys(c), rounds: rounds.length, torch };
  const lines: BenchMetric[] = [];
  for (const [threads, pick] of [
    ['all', (r: CpuRound) => r.pytorchAll],
    ['1', (r: CpuRound) => r.pytorchOne],
  ] as const) {
    const views = rounds.map((r) => pick(r).views_per_s);
    lines.push({
      metric: 'pytorch.views_per_s',
      value: median(views),
      unit: 'views/s',
      label: `${c.name} pytorch cpu ${threads === 'all' ? 'all cores' : '1 thread'}`,
      pytorch_threads: pick(rounds[0] as CpuRound).threads,
      per_round: round3(views),
      ...keys,
    });
  }
  for (const backend of ['wasm', 'webgl'] as const) {
    const results = rounds.map((r) => r.ours[backend]).filter((r): r is PageCaseResult => r !== undefined);
    const first = results[0];
    if (!first || results.length !== rounds.length) continue;
    const ours = results.map((r) => r.viewsPerS);
    const ourKeys: Config = {
      ...keys,
      ...backendKeys(first),
      backend,
      kernels_per_step: first.kernelsPerStep,
      step_ms: median(results.map((r) => r.stepMs)),
      last_loss: results[results.length - 1]?.lastLoss ?? Number.NaN,
    };
    lines.push(
      {
        metric: 'cpu.views_per_s',
        value: median(ours),
        unit: 'views/s',
        label: `${c.name} ${backend}`,
        per_round: round3(ours),
        ...ourKeys,
      },
      {
        metric: 'cpu.kernels_per_step',
        value: first.kernelsPerStep,
        unit: 'kernels',
        label: `${c.name} ${backend}`,
        ...ourKeys,
      },
      {
        metric: 'cpu.warmup_s',
        value: median(results.map((r) => r.warmupS)),
        unit: 's',
        label: `${c.name} ${backend}`,
        ...ourKeys,
      },
    );
    for (const [metric, pick, what] of [
      ['cpu.ratio_vs_pytorch', (r: CpuRound) => r.pytorchAll, 'all cores'],
      ['cpu.ratio_vs_pytorch_1thread', (r: CpuRound) => r.pytorchOne, '1 thread'],
    ] as const) {
      const ratios = rounds.map((r, i) => (ours[i] ?? Number.NaN) / pick(r).views_per_s);
      lines.push({
        metric,
        value: median(ratios),
        unit: 'x',
        label: `${c.name} ${backend}/pytorch cpu ${what}`,
        per_round: round3(ratios),
        ours_views_per_s: median(ours),
        pytorch_views_per_s: median(rounds.map((r) => pick(r).views_per_s)),
        pytorch_threads: pick(rounds[0] as CpuRound).threads,
        ...ourKeys,
      });
    }
  }
  for (const line of lines) report(line);
  return lines;
}
