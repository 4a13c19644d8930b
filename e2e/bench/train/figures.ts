/**
 * Turns the training-speed measurements into the bench's figures (one JSON line each, via report()):
 * the same metric lines from the Playwright bench (runtime 'chromium') and the Node runner ('node-dawn').
 */
import { type BenchMetric, report } from '../report';
import { caseKeys, type TrainCase } from './cases';
import type { CaseResult } from './engine';
import type { PytorchResult, PytorchRun } from './pytorch';

type Config = Record<string, string | number | boolean | null>;

export interface WebGpuCaseFigures {
  case: TrainCase;
  custom: CaseResult;
  stock: CaseResult;
}

export interface TrainFigures {
  runtime: 'chromium' | 'node-dawn';
  /** The WebGPU adapter, in words. */
  adapter: string;
  note: string;
  webgpu: WebGpuCaseFigures[];
  /** The small ResNet on the wasm backend (the page only). */
  cpu: { case: TrainCase; result: CaseResult; extra: Config } | null;
  /** PyTorch results in the order [...webgpu cases (device auto), cpu case (device cpu)], or why there are none. */
  pytorch: PytorchRun | { missing: string };
}

function label(c: TrainCase, what: string): string {
  return `${c.name} ${what}`;
}

function caseFigures(base: Config, c: TrainCase, r: CaseResult, metricPrefix: 'train' | 'cpu'): BenchMetric[] {
  const keys: Config = {
    ...base,
    ...caseKeys(c),
    backend: r.backend,
    kernels: r.kernels,
    custom_kernels: r.customKernels.length > 0 ? r.customKernels.join(',') : 'none',
    last_loss: r.lastLoss,
    tensors_leaked: r.tensorsLeaked,
  };
  const what = metricPrefix === 'cpu' ? r.backend : `${r.backend} ${r.kernels}`;
  const figures: BenchMetric[] = [
    {
      metric: `${metricPrefix}.views_per_s`,
      value: r.viewsPerS,
      unit: 'views/s',
      label: label(c, what),
      step_ms: r.stepMs,
      ...keys,
    },
    {
      metric: `${metricPrefix}.warmup_s`,
      value: r.warmupS,
      unit: 's',
      label: label(c, what),
      includes:
        r.backend === 'webgpu'
          ? 'first step incl. pipeline compilation and its read-back'
          : 'first step and its read-back (no shaders to compile)',
      pipeline_cache_cleared: r.pipelineCacheCleared,
      ...keys,
    },
    {
      metric: `${metricPrefix}.kernels_per_step`,
      value: r.kernelsPerStep,
      unit: 'kernels',
      label: label(c, what),
      ...keys,
    },
  ];
  if (metricPrefix === 'train')
    figures.push({
      metric: 'train.peak_gpu_bytes',
      value: r.peakBytes,
      unit: 'bytes',
      label: label(c, what),
      measured_by: "tf.profile peakBytes (tensor bytes alive at the step's peak)",
      resident_bytes: r.residentBytes,
      ...keys,
    });
  return figures;
}

function pytorchKeys(run: PytorchRun, r: PytorchResult): Config {
  return {
    torch: run.torch,
    pytorch_device: r.device,
    pytorch_device_name: r.device_name,
    pytorch_threads: r.threads,
    pytorch_precision: 'fp32 (TF32 off)',
    pytorch_views_per_s: r.views_per_s,
  };
}

/** Prints every figure; returns the lines for callers that want them. */
export function reportTrainFigures(f: TrainFigures): BenchMetric[] {
  const base: Config = { runtime: f.runtime, adapter: f.adapter, note: f.note };
  const lines: BenchMetric[] = [];
  const torch = 'results' in f.pytorch ? f.pytorch : null;
  f.webgpu.forEach(({ case: c, custom, stock }, i) => {
    lines.push(...caseFigures(base, c, custom, 'train'), ...caseFigures(base, c, stock, 'train'));
    lines.push({
      metric: 'train.speedup_vs_stock',
      value: custom.viewsPerS / stock.viewsPerS,
      unit: 'x',
      label: label(c, 'custom/stock'),
      ...base,
      ...caseKeys(c),
      custom_kernels: custom.customKernels.length > 0 ? custom.customKernels.join(',') : 'none registered yet',
      custom_views_per_s: custom.viewsPerS,
      stock_views_per_s: stock.viewsPerS,
    });
    const theirs = torch?.results[i];
    if (torch && theirs) {
      lines.push({
        metric: 'pytorch.views_per_s',
        value: theirs.views_per_s,
        unit: 'views/s',
        label: label(c, `pytorch ${theirs.device}`),
        ...base,
        ...caseKeys(c),
        ...pytorchKeys(torch, theirs),
      });
      lines.push({
        metric: 'train.ratio_vs_pytorch',
        value: custom.viewsPerS / theirs.views_per_s,
        unit: 'x',
        label: label(c, `webgpu custom/pytorch ${theirs.device}`),
        ...base,
        ...caseKeys(c),
        ours_views_per_s: custom.viewsPerS,
        ...pytorchKeys(torch, theirs),
      });
    }
  });
  if (f.cpu) {
    const { case: c, result, extra } = f.cpu;
    lines.push(...caseFigures({ ...base, ...extra }, c, result, 'cpu'));
    const theirs = torch?.results[f.webgpu.length];
    if (torch && theirs) {
      lines.push({
        metric: 'cpu.ratio_vs_pytorch',
        value: result.viewsPerS / theirs.views_per_s,
        unit: 'x',
        label: label(c, `wasm/pytorch ${theirs.device}`),
        ...base,
        ...extra,
        ...caseKeys(c),
        ours_views_per_s: result.viewsPerS,
        ...pytorchKeys(torch, theirs),
      });
    }
  }
  if (!torch && 'missing' in f.pytorch)
    console.log(`train: PyTorch figures left out: ${f.pytorch.missing} (install python3-torch, or set PYTHON)`);
  for (const line of lines) report(line);
  return lines;
}

/**
 * The chunked-step figures (issue #15): views/s and the step's peak tensor bytes above what the run holds,
 * for each case on its backend, and the chunked case's ratios to the whole one.
 */
export function reportChunkFigures(base: Config, runs: { case: TrainCase; result: CaseResult }[]): BenchMetric[] {
  const lines: BenchMetric[] = [];
  for (const { case: c, result: r } of runs) {
    const keys: Config = {
      ...base,
      ...caseKeys(c),
      backend: r.backend,
      last_loss: r.lastLoss,
      tensors_leaked: r.tensorsLeaked,
    };
    const what = `${r.backend}${c.chunkSize ? ` in chunks of ${c.chunkSize}` : ' whole'}`;
    lines.push(
      {
        metric: 'train.views_per_s',
        value: r.viewsPerS,
        unit: 'views/s',
        label: label(c, what),
        step_ms: r.stepMs,
        ...keys,
      },
      {
        metric: 'train.peak_step_bytes',
        value: r.peakBytes - r.residentBytes,
        unit: 'bytes',
        label: label(c, what),
        measured_by: 'tf.profile peakBytes minus the tensor bytes held before the step',
        peak_bytes: r.peakBytes,
        resident_bytes: r.residentBytes,
        ...keys,
      },
    );
  }
  const [whole, chunked] = runs;
  if (whole && chunked)
    lines.push({
      metric: 'train.chunked_vs_whole_views_per_s',
      value: chunked.result.viewsPerS / whole.result.viewsPerS,
      unit: 'x',
      label: label(chunked.case, `/ ${whole.case.name}`),
      ...base,
      peak_step_bytes_ratio:
        (chunked.result.peakBytes - chunked.result.residentBytes) /
        (whole.result.peakBytes - whole.result.residentBytes),
    });
  for (const line of lines) report(line);
  return lines;
}
