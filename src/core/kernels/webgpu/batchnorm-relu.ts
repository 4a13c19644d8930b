import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { CustomKernel } from '../registry';
import {
  BnApplyProgram,
  BnCombineProgram,
  BnGradInputProgram,
  BnGradPartialProgram,
  BnMomentsPartialProgram,
  chunkRowsFor,
  MovingAverageProgram,
  ReluGradProgram,
} from './batchnorm-relu-programs';

/** Id in the kernel registry; the model calls fusedBatchNormRelu only while it is enabled on webgpu. */
export const BATCHNORM_RELU_ID = 'batchnorm-relu';

export const STATS = 'SimclrBatchNormStats';
export const APPLY = 'SimclrBatchNormApply';
export const GRAD_SUMS = 'SimclrBatchNormGradSums';
export const GRAD_INPUT = 'SimclrBatchNormGradInput';
export const RELU_GRAD = 'SimclrReluGrad';
export const MOVING_AVERAGE = 'SimclrBatchNormMovingAverage';

interface Attrs {
  epsilon: number;
  relu: boolean;
}

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

const rowsAndChannels = (x: tf.TensorInfo): [number, number] => [x.shape[0]!, x.shape[1]!];

function reduceUniforms(rows: number, channels: number, epsilon: number) {
  const chunkRows = chunkRowsFor(rows);
  const chunks = Math.ceil(rows / chunkRows);
  return {
    chunks,
    uniforms: [
      { type: 'int32', data: [rows] },
      { type: 'int32', data: [channels] },
      { type: 'int32', data: [chunkRows] },
      { type: 'int32', data: [chunks] },
      { type: 'float32', data: [epsilon] },
    ],
  };
}

/** Two passes: chunk partials [2, P, C], then per channel combined into [2, C]. */
function reduceChannels(
  backend: WebGPUBackend,
  partial: (chunks: number) => tf.TensorInfo,
  mode: 'moments' | 'sum',
  rows: number,
  channels: number,
  epsilon: number,
): tf.TensorInfo {
  const { chunks, uniforms } = reduceUniforms(rows, channels, epsilon);
  const part = partial(chunks);
  const out = backend.runWebGPUProgram(new BnCombineProgram(channels, mode), [part], 'float32', uniforms);
  backend.disposeData(part.dataId);
  return out;
}

function statsKernel({ inputs, backend }: KernelArgs): tf.TensorInfo {
  const webgpu = backend as WebGPUBackend;
  const { x } = inputs as { x: tf.TensorInfo };
  const [rows, channels] = rowsAndChannels(x);
  const { uniforms } = reduceUniforms(rows, channels, 0);
  return reduceChannels(
    webgpu,
    (chunks) => webgpu.runWebGPUProgram(new BnMomentsPartialProgram(channels, chunks), [x], 'float32', uniforms),
    'moments',
    rows,
    channels,
    0,
  );
}

function applyKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { x, stats, gamma, beta, residual } = inputs as Record<string, tf.TensorInfo>;
  const { epsilon, relu } = attrs as unknown as Attrs;
  const [rows, channels] = rowsAndChannels(x!);
  const program = new BnApplyProgram(rows, channels, relu, residual != null);
  const operands = [x!, stats!, gamma!, beta!, ...(residual ? [residual] : [])];
  return (backend as WebGPUBackend).runWebGPUProgram(program, operands, 'float32', [
    { type: 'int32', data: [rows * channels] },
    { type: 'int32', data: [channels] },
    { type: 'float32', data: [epsilon] },
  ]);
}

function gradSumsKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const webgpu = backend as WebGPUBackend;
  const { dy, y, x, stats } = inputs as Record<string, tf.TensorInfo>;
  const { epsilon, relu } = attrs as unknown as Attrs;
  const [rows, channels] = rowsAndChannels(x!);
  const { uniforms } = reduceUniforms(rows, channels, epsilon);
  return reduceChannels(
    webgpu,
    (chunks) =>
      webgpu.runWebGPUProgram(
        new BnGradPartialProgram(channels, chunks, relu),
        relu ? [dy!, y!, x!, stats!] : [dy!, x!, stats!],
        'float32',
        uniforms,
      ),
    'sum',
    rows,
    channels,
    epsilon,
  );
}

function gradInputKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { dy, y, x, stats, gamma, sums } = inputs as Record<string, tf.TensorInfo>;
  const { epsilon, relu } = attrs as unknown as Attrs;
  const [rows, channels] = rowsAndChannels(x!);
  return (backend as WebGPUBackend).runWebGPUProgram(
    new BnGradInputProgram(rows, channels, relu),
    relu ? [dy!, y!, x!, stats!, gamma!, sums!] : [dy!, x!, stats!, gamma!, sums!],
    'float32',
    [
      { type: 'int32', data: [rows * channels] },
      { type: 'int32', data: [channels] },
      { type: 'float32', data: [epsilon] },
      { type: 'int32', data: [rows] },
    ],
  );
}

function reluGradKernel({ inputs, backend }: KernelArgs): tf.TensorInfo {
  const { dy, y } = inputs as Record<string, tf.TensorInfo>;
  const [rows, channels] = rowsAndChannels(dy!);
  return (backend as WebGPUBackend).runWebGPUProgram(new ReluGradProgram(rows, channels), [dy!, y!], 'float32', [
    { type: 'int32', data: [rows * channels] },
  ]);
}

function movingAverageKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { moving, stats } = inputs as Record<string, tf.TensorInfo>;
  const { row, decay } = attrs as { row: number; decay: number };
  const channels = moving!.shape[0]!;
  return (backend as WebGPUBackend).runWebGPUProgram(new MovingAverageProgram(channels), [moving!, stats!], 'float32', [
    { type: 'int32', data: [channels] },
    { type: 'int32', data: [row] },
    { type: 'float32', data: [decay] },
  ]);
}

const KERNEL_FUNCS: Array<[string, (args: KernelArgs) => tf.TensorInfo]> = [
  [STATS, statsKernel],
  [APPLY, applyKernel],
  [GRAD_SUMS, gradSumsKernel],
  [GRAD_INPUT, gradInputKernel],
  [RELU_GRAD, reluGradKernel],
  [MOVING_AVERAGE, movingAverageKernel],
];

/** In the registry (kernels/index.ts): its tfjs kernels exist only while it is switched on. */
export const batchNormReluKernel: CustomKernel = {
  id: BATCHNORM_RELU_ID,
  summary: 'training BatchNorm (+ residual add) + ReLU, forward and backward, fused',
  backendName: 'webgpu',
  overrides: [],
  ops: KERNEL_FUNCS.map(([kernelName, kernelFunc]) => ({
    kernelName,
    backendName: 'webgpu',
    kernelFunc: kernelFunc as tf.KernelFunc,
  })),
};

const run = (name: string, inputs: tf.NamedTensorMap, attrs?: Attrs): tf.Tensor =>
  tf.engine().runKernel(name, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;

export interface BatchNormReluOptions {
  epsilon: number;
  /** Apply ReLU after the (residual) sum. */
  relu: boolean;
  /** Added after normalization, before the ReLU (a ResNet block's identity or shortcut); same shape as x. */
  residual: tf.Tensor | null;
}

export interface BatchNormReluResult {
  /** Same shape as x. */
  y: tf.Tensor;
  /** [2, C]: batch mean and biased batch variance (as tf.moments); not on the gradient tape. Caller disposes. */
  stats: tf.Tensor2D;
}

/**
 * The BN layer's moving-statistics update in one dispatch per statistic, same arithmetic as tfjs-layers
 * (moving - (moving - batch) * (1 - momentum)): row 0 of `stats` for the moving mean, row 1 for the variance.
 */
export function movingAverage(moving: tf.Tensor1D, stats: tf.Tensor2D, row: 0 | 1, momentum: number): tf.Tensor1D {
  const attrs = { row, decay: 1 - momentum } as unknown as tf.NamedAttrMap;
  return tf.engine().runKernel(MOVING_AVERAGE, { moving, stats }, attrs) as tf.Tensor1D;
}

/**
 * Training-mode BatchNorm over all axes but the last, optional residual add, optional ReLU, on webgpu:
 * 3 dispatches forward (2 for the statistics, 1 element-wise), 3 backward (4 with a residual). Gradients
 * flow to x, gamma, beta and the residual through tf.customGrad with the fused formula
 * dx = gamma / sigma * (g - mean(g) - xhat * mean(g * xhat)), g = dy * (y > 0).
 *
 * @param x [..., C] float32
 * @param gamma [C] scale, beta [C] offset (the layer's variables: they receive gradients)
 */
export function fusedBatchNormRelu(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  options: BatchNormReluOptions,
): BatchNormReluResult {
  const channels = x.shape[x.rank - 1]!;
  const rows = x.size / channels;
  const attrs: Attrs = { epsilon: options.epsilon, relu: options.relu };
  const kept: { stats?: tf.Tensor } = {};
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const [input, scale, offset, residual] = args.slice(0, -1) as tf.Tensor[];
    const x2 = tf.reshape(input!, [rows, channels]);
    const batchStats = run(STATS, { x: x2 });
    const inputs: tf.NamedTensorMap = { x: x2, stats: batchStats, gamma: scale!, beta: offset! };
    if (residual) inputs.residual = tf.reshape(residual, [rows, channels]);
    const y2 = run(APPLY, inputs, attrs);
    kept.stats = tf.keep(batchStats);
    save([x2, batchStats, scale!, y2]);
    return {
      value: tf.reshape(y2, input!.shape),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, st, g, ys] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        let dy2 = tf.reshape(dy, [rows, channels]);
        // With a residual the masked gradient is needed on its own (it is the residual's gradient).
        const masked = options.relu && residual ? run(RELU_GRAD, { dy: dy2, y: ys }) : null;
        if (masked) dy2 = masked;
        const reluInKernels = options.relu && !masked;
        const kernelAttrs: Attrs = { epsilon: options.epsilon, relu: reluInKernels };
        const sums = run(GRAD_SUMS, { dy: dy2, y: ys, x: xs, stats: st }, kernelAttrs);
        const dx = run(GRAD_INPUT, { dy: dy2, y: ys, x: xs, stats: st, gamma: g, sums }, kernelAttrs);
        const [dbeta, dgamma] = tf.unstack(sums) as [tf.Tensor1D, tf.Tensor1D];
        const grads = [tf.reshape(dx, input!.shape), dgamma, dbeta];
        if (residual) grads.push(tf.reshape(dy2, residual.shape));
        return grads;
      },
    };
  });
  const operands = options.residual ? [x, gamma, beta, options.residual] : [x, gamma, beta];
  const y = op(...operands);
  return { y, stats: kept.stats! as tf.Tensor2D };
}
