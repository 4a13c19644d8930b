import type * as tf from '@tensorflow/tfjs';
import type { CustomKernel } from '../registry';
import { APPLY, GRAD_INPUT, GRAD_SUMS, MOVING_AVERAGE, RELU_GRAD, STATS } from '../webgpu/batchnorm-relu';
import { type OwnWasmKernels, ownWasmKernels, runOwnKernel } from './own-module';
import type { WasmHeapBackend } from './wasm-heap';

/** Id in the kernel registry; the model runs the fused BatchNorm+ReLU op on wasm while it is enabled. */
export const WASM_BATCHNORM_RELU_ID = 'wasm-batchnorm-relu';

/** Rows per partial sum: float32 sums over this many rows, combined in float64. */
const CHUNK_ROWS = 256;

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };
interface Attrs {
  epsilon: number;
  relu: boolean;
}

interface Context {
  own: OwnWasmKernels;
  heap: WasmHeapBackend;
  at: (info: tf.TensorInfo) => number;
}

function contextOf(backend: unknown): Context {
  const own = ownWasmKernels(backend as tf.KernelBackend);
  if (!own) throw new Error('our wasm BatchNorm kernels run only after prepareOwnWasmKernels');
  const heap = backend as WasmHeapBackend;
  return { own, heap, at: (info) => heap.getMemoryOffset(info.dataId) };
}

/** A [rows, C] view's sizes. */
const shapeOf = (x: tf.TensorInfo): { rows: number; channels: number; chunks: number } => {
  const [rows, channels] = x.shape as [number, number];
  return { rows, channels, chunks: Math.ceil(rows / CHUNK_ROWS) };
};

/** Per-chunk partial sums [2, chunks, C] from `kernel`, split across the threads by chunk. */
function partials(ctx: Context, x: tf.TensorInfo, kernel: 'bnMomentsPartial' | 'bnGradPartial', args: number[]) {
  const { rows, channels, chunks } = shapeOf(x);
  const part = ctx.heap.makeOutput([2, chunks, channels], 'float32');
  const partAt = ctx.at(part);
  runOwnKernel(ctx.own, kernel, {
    firstImage: 0,
    endImage: chunks,
    args: [...args, partAt, rows, channels, CHUNK_ROWS, chunks],
  });
  return part;
}

/** Per-channel values in the heap: a [rows, C] tensor for coefficient vectors. */
function vectors(ctx: Context, values: Float32Array, shape: number[]): tf.TensorInfo {
  const out = ctx.heap.makeOutput(shape, 'float32');
  ctx.heap.typedArrayFromHeap(out).set(values);
  return out;
}

/** out = k0 * a [masked by mask > 0] + k1 * b + k2 [+ residual] [relu] over all rows, split across the threads. */
function affine(
  ctx: Context,
  a: tf.TensorInfo,
  k: Float32Array,
  options: { mask?: tf.TensorInfo; b?: tf.TensorInfo; residual?: tf.TensorInfo; relu?: boolean },
): tf.TensorInfo {
  const { rows, channels } = shapeOf(a);
  const coefficients = vectors(ctx, k, [3, channels]);
  const out = ctx.heap.makeOutput([rows, channels], 'float32');
  const opt = (info?: tf.TensorInfo) => (info ? ctx.at(info) : 0);
  runOwnKernel(ctx.own, 'bnAffine', {
    firstImage: 0,
    endImage: rows,
    args: [
      ctx.at(a),
      opt(options.mask),
      opt(options.b),
      ctx.at(coefficients),
      opt(options.residual),
      ctx.at(out),
      channels,
      options.relu ? 1 : 0,
    ],
  });
  ctx.heap.disposeData(coefficients.dataId);
  return out;
}

const read = (ctx: Context, info: tf.TensorInfo): Float32Array => ctx.heap.typedArrayFromHeap(info);

function statsKernel({ inputs, backend }: KernelArgs): tf.TensorInfo {
  const ctx = contextOf(backend);
  const x = inputs.x!;
  const { rows, channels, chunks } = shapeOf(x);
  const part = partials(ctx, x, 'bnMomentsPartial', [ctx.at(x)]);
  const out = ctx.heap.makeOutput([2, channels], 'float32');
  const p = read(ctx, part);
  const stats = read(ctx, out);
  // Chunk means and squared deviations combined in float64 (Chan et al.), as the WebGPU kernel does.
  for (let c = 0; c < channels; c++) {
    let n = 0;
    let mean = 0;
    let m2 = 0;
    for (let q = 0; q < chunks; q++) {
      const nb = Math.min(CHUNK_ROWS, rows - q * CHUNK_ROWS);
      const total = n + nb;
      const delta = p[q * channels + c]! - mean;
      mean += (delta * nb) / total;
      m2 += p[(chunks + q) * channels + c]! + (delta * delta * n * nb) / total;
      n = total;
    }
    stats[c] = mean;
    stats[channels + c] = m2 / rows;
  }
  ctx.heap.disposeData(part.dataId);
  return out;
}

/** gamma * invStd and invStd per channel. */
function scales(ctx: Context, stats: tf.TensorInfo, gamma: tf.TensorInfo, epsilon: number) {
  const s = read(ctx, stats);
  const g = read(ctx, gamma);
  const channels = g.length;
  const invStd = new Float64Array(channels);
  const scale = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    invStd[c] = 1 / Math.sqrt(s[channels + c]! + epsilon);
    scale[c] = g[c]! * invStd[c]!;
  }
  return { mean: s.subarray(0, channels), invStd, scale, channels };
}

function applyKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const ctx = contextOf(backend);
  const { x, stats, gamma, beta, residual } = inputs as Record<string, tf.TensorInfo>;
  const { epsilon, relu } = attrs as unknown as Attrs;
  const { mean, scale, channels } = scales(ctx, stats!, gamma!, epsilon);
  const b = read(ctx, beta!);
  const k = new Float32Array(3 * channels);
  for (let c = 0; c < channels; c++) {
    k[c] = scale[c]!;
    k[2 * channels + c] = b[c]! - mean[c]! * scale[c]!;
  }
  return affine(ctx, x!, k, { ...(residual ? { residual } : {}), relu });
}

function gradSumsKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const ctx = contextOf(backend);
  const { dy, y, x, stats } = inputs as Record<string, tf.TensorInfo>;
  const { epsilon, relu } = attrs as unknown as Attrs;
  const { channels, chunks } = shapeOf(x!);
  const s = read(ctx, stats!);
  const meanInv = new Float32Array(2 * channels);
  for (let c = 0; c < channels; c++) {
    meanInv[c] = s[c]!;
    meanInv[channels + c] = 1 / Math.sqrt(s[channels + c]! + epsilon);
  }
  const meanInvInfo = vectors(ctx, meanInv, [2, channels]);
  const part = partials(ctx, x!, 'bnGradPartial', [
    ctx.at(dy!),
    relu ? ctx.at(y!) : 0,
    ctx.at(x!),
    ctx.at(meanInvInfo),
  ]);
  const out = ctx.heap.makeOutput([2, channels], 'float32');
  const p = read(ctx, part);
  const sums = read(ctx, out);
  for (let c = 0; c < channels; c++) {
    let a = 0;
    let b = 0;
    for (let q = 0; q < chunks; q++) {
      a += p[q * channels + c]!;
      b += p[(chunks + q) * channels + c]!;
    }
    sums[c] = a;
    sums[channels + c] = b;
  }
  ctx.heap.disposeData(part.dataId);
  ctx.heap.disposeData(meanInvInfo.dataId);
  return out;
}

function gradInputKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const ctx = contextOf(backend);
  const { dy, y, x, stats, gamma, sums } = inputs as Record<string, tf.TensorInfo>;
  const { epsilon, relu } = attrs as unknown as Attrs;
  const { rows } = shapeOf(x!);
  const { mean, invStd, scale, channels } = scales(ctx, stats!, gamma!, epsilon);
  const s = read(ctx, sums!);
  // dx = scale * (g - sum(g) / M - xhat * sum(g * xhat) / M) = k0 * g + k1 * x + k2 per channel.
  const k = new Float32Array(3 * channels);
  for (let c = 0; c < channels; c++) {
    const k1 = (-scale[c]! * invStd[c]! * s[channels + c]!) / rows;
    k[c] = scale[c]!;
    k[channels + c] = k1;
    k[2 * channels + c] = (-scale[c]! * s[c]!) / rows - k1 * mean[c]!;
  }
  return affine(ctx, dy!, k, { ...(relu ? { mask: y! } : {}), b: x! });
}

function reluGradKernel({ inputs, backend }: KernelArgs): tf.TensorInfo {
  const ctx = contextOf(backend);
  const { dy, y } = inputs as Record<string, tf.TensorInfo>;
  const channels = dy!.shape[1]!;
  const k = new Float32Array(3 * channels);
  k.fill(1, 0, channels);
  return affine(ctx, dy!, k, { mask: y! });
}

function movingAverageKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const ctx = contextOf(backend);
  const { moving, stats } = inputs as Record<string, tf.TensorInfo>;
  const { row, decay } = attrs as { row: number; decay: number };
  const channels = moving!.shape[0]!;
  const out = ctx.heap.makeOutput([channels], 'float32');
  const [m, s, o] = [read(ctx, moving!), read(ctx, stats!), read(ctx, out)];
  for (let c = 0; c < channels; c++) o[c] = m[c]! - (m[c]! - s[row * channels + c]!) * decay;
  return out;
}

const KERNEL_FUNCS: Array<[string, (args: KernelArgs) => tf.TensorInfo]> = [
  [STATS, statsKernel],
  [APPLY, applyKernel],
  [GRAD_SUMS, gradSumsKernel],
  [GRAD_INPUT, gradInputKernel],
  [RELU_GRAD, reluGradKernel],
  [MOVING_AVERAGE, movingAverageKernel],
];

/**
 * The kernels of the fused training BatchNorm (+ residual) + ReLU op (webgpu/batchnorm-relu.ts) on wasm, as our
 * own SIMD passes split across the kernel threads: 2 passes over the activation forward (statistics, then the
 * affine map with residual and ReLU), 2 backward (the two per-channel sums, then dx), 1 more for a residual.
 */
export const wasmBatchNormReluKernel: CustomKernel = {
  id: WASM_BATCHNORM_RELU_ID,
  summary: 'training BatchNorm (+ residual add) + ReLU as our own WebAssembly SIMD passes, fused',
  backendName: 'wasm',
  overrides: [],
  ops: KERNEL_FUNCS.map(([kernelName, kernelFunc]) => ({
    kernelName,
    backendName: 'wasm',
    kernelFunc: kernelFunc as tf.KernelFunc,
  })),
};
