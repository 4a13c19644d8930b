import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { CustomKernel } from '../registry';
import {
  Conv2DFilterGradProgram,
  convGradTuning,
  type FilterGradTile,
  SumPartialsProgram,
  TILE_K,
} from './conv2d-filter-grad-programs';

/** Workgroups worth having in flight; split-K adds splits until the tiles reach about this many. */
const TARGET_WORKGROUPS = 256;
/** A split covers at least this many reduction steps of TILE_K rows, so partials stay few. */
const MIN_STEPS_PER_SPLIT = 8;
/** Largest partials buffer (floats) split-K may allocate: 16 Mi floats = 64 MiB. */
const MAX_PARTIAL_FLOATS = 16 << 20;

export interface FilterGradPlan {
  /** Filter rows KH*KW*Cin, filter columns Cout, reduction length N*OH*OW. */
  m: number;
  n: number;
  k: number;
  tile: FilterGradTile;
  splits: number;
  /** Reduction rows per split, a multiple of TILE_K. */
  kPerSplit: number;
}

/** Tile size and split-K count for a filter gradient of that GEMM shape. */
export function planFilterGrad(m: number, n: number, k: number): FilterGradPlan {
  const tile = convGradTuning.tile;
  const tiles = Math.ceil(m / tile) * Math.ceil(n / tile);
  const steps = Math.max(1, Math.ceil(k / TILE_K));
  let splits = Math.ceil(TARGET_WORKGROUPS / tiles);
  splits = Math.min(splits, Math.ceil(steps / MIN_STEPS_PER_SPLIT), Math.floor(MAX_PARTIAL_FLOATS / (m * n)));
  splits = Math.max(1, splits);
  const kPerSplit = Math.ceil(steps / splits) * TILE_K;
  return { m, n, k, tile, splits: Math.max(1, Math.ceil(k / kPerSplit)), kPerSplit };
}

/** Element strides (n, h, w, c) of a 4-D tensor in NHWC or NCHW. */
function strides4(shape: readonly number[], channelsLast: boolean): [number, number, number, number] {
  const [, d1 = 1, d2 = 1, d3 = 1] = shape;
  return channelsLast ? [d1 * d2 * d3, d2 * d3, d3, 1] : [d1 * d2 * d3, d3, 1, d2 * d3];
}

type FilterGradArgs = {
  inputs: { x: tf.TensorInfo; dy: tf.TensorInfo };
  backend: unknown;
  attrs: tf.Conv2DBackpropFilterAttrs;
};

function conv2dFilterGrad(args: FilterGradArgs): tf.TensorInfo {
  const backend = args.backend as WebGPUBackend;
  const { x, dy } = args.inputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs;
  const format = tf.backend_util.convertConv2DDataFormat(dataFormat);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    format,
  );
  const channelsLast = info.dataFormat === 'channelsLast';
  const m = info.filterHeight * info.filterWidth * info.inChannels;
  const n = info.outChannels;
  const plan = planFilterGrad(m, n, info.batchSize * info.outHeight * info.outWidth);
  const xStrides = strides4(x.shape, channelsLast);
  const dyStrides = strides4(dy.shape, channelsLast);
  const uniforms = [
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.outChannels,
    info.strideHeight,
    info.strideWidth,
    info.padInfo.top,
    info.padInfo.left,
    info.filterWidth,
    m,
    plan.k,
    plan.kPerSplit,
    ...xStrides,
    ...dyStrides,
  ].map((v) => ({ type: 'int32', data: [v] }));
  const program = new Conv2DFilterGradProgram(
    plan.splits === 1 ? [...info.filterShape] : [plan.splits, m * n],
    m,
    n,
    plan.splits,
    plan.tile,
    channelsLast && info.inChannels % 4 === 0,
    channelsLast && info.outChannels % 4 === 0,
  );
  const partials = backend.runWebGPUProgram(program, [x, dy], 'float32', uniforms);
  if (plan.splits === 1) return partials;
  const sum = new SumPartialsProgram([...info.filterShape], m * n);
  const out = backend.runWebGPUProgram(sum, [partials], 'float32', [
    { type: 'int32', data: [m * n] },
    { type: 'int32', data: [plan.splits] },
  ]);
  backend.disposeData(partials.dataId);
  return out;
}

export const conv2dFilterGradKernel: CustomKernel = {
  id: 'conv2d-filter-grad',
  summary: 'Conv2DBackpropFilter as a tiled split-K implicit GEMM (stock: one thread per weight)',
  backendName: 'webgpu',
  overrides: [
    {
      kernelName: tf.Conv2DBackpropFilter,
      backendName: 'webgpu',
      kernelFunc: conv2dFilterGrad as unknown as tf.KernelFunc,
    },
  ],
};
