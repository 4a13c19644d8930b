import * as tf from '@tensorflow/tfjs';
import {
  BATCHNORM_RELU_OPS_ID,
  batchNormReluInOps,
  batchNormReluOpsKernel,
  movingAverageInOps,
} from '../kernels/batchnorm-relu-ops';
import { isCustomKernelEnabled } from '../kernels/registry';
import { WASM_BATCHNORM_RELU_ID } from '../kernels/wasm-simd/batchnorm-kernels';
import { ownWasmKernels } from '../kernels/wasm-simd/own-module';
import { BATCHNORM_RELU_ID, fusedBatchNormRelu, movingAverage } from '../kernels/webgpu/batchnorm-relu';
import { applyLayer, type GraphNode } from './layer-graph';

/** The parts of tfjs-layers' BatchNormalization that training mode reads and writes (normalization.js). */
interface BatchNormInternals {
  gamma: tf.layers.Layer['trainableWeights'][number] | null;
  beta: tf.layers.Layer['trainableWeights'][number] | null;
  movingMean: tf.layers.Layer['trainableWeights'][number];
  movingVariance: tf.layers.Layer['trainableWeights'][number];
  momentum: number;
  epsilon: number;
  axis: number;
}

/** Where the sum with a residual goes: `add` is the tf.layers.add() of the symbolic graph. */
export interface ResidualInput<T extends GraphNode> {
  add: tf.layers.Layer;
  other: T;
}

/** A fused op and the moving-average update that goes with its `stats`. */
interface FusedBatchNormRelu {
  apply: typeof fusedBatchNormRelu;
  movingAverage: typeof movingAverage;
}

/** The fused op enabled for the active backend: our WebGPU shaders, our wasm SIMD kernels, or the op in tfjs ops (wasm). */
function fusedForBackend(): FusedBatchNormRelu | null {
  const backend = tf.getBackend();
  if (backend === 'webgpu' && isCustomKernelEnabled(BATCHNORM_RELU_ID)) {
    return { apply: fusedBatchNormRelu, movingAverage };
  }
  // Our wasm SIMD kernels need the backend's prepared module; without it the ops below (or tf.layers) run.
  if (backend === 'wasm' && isCustomKernelEnabled(WASM_BATCHNORM_RELU_ID) && ownWasmKernels(tf.backend())) {
    return { apply: fusedBatchNormRelu, movingAverage };
  }
  if (backend === batchNormReluOpsKernel.backendName && isCustomKernelEnabled(BATCHNORM_RELU_OPS_ID)) {
    return { apply: batchNormReluInOps, movingAverage: movingAverageInOps };
  }
  return null;
}

/** True when the training path may use a fused BatchNorm+ReLU for this layer and input. */
function canFuse(layer: tf.layers.Layer, x: GraphNode, training: boolean): x is tf.Tensor {
  if (!training || !(x instanceof tf.Tensor) || !layer.built) return false;
  const bn = layer as unknown as BatchNormInternals;
  return bn.gamma != null && bn.beta != null && (bn.axis === -1 || bn.axis === x.rank - 1) && x.dtype === 'float32';
}

/**
 * tfjs-layers' moving-average update (normalization.js doMovingAverage), one dispatch per statistic:
 * moving <- moving - (moving - batch) * (1 - momentum), with the biased batch variance.
 */
function updateMovingStatistics(bn: BatchNormInternals, stats: tf.Tensor2D, average: typeof movingAverage): void {
  for (const [variable, row] of [
    [bn.movingMean, 0],
    [bn.movingVariance, 1],
  ] as const) {
    const updated = average(variable.read() as tf.Tensor1D, stats, row, bn.momentum);
    variable.write(updated);
    updated.dispose();
  }
}

/**
 * BatchNorm, then the residual sum and ReLU where given: bn(x) [+ residual] [-> relu].
 * In training mode on concrete tensors with the 'batchnorm-relu' kernel enabled on webgpu (or
 * 'batchnorm-relu-ops' on its backend, wasm), one fused op
 * using the layer's own gamma/beta variables (so the optimizer and the exported model see the same
 * weights) and the layer's moving-statistics update; otherwise the layers themselves, as before.
 */
export function applyBatchNormRelu<T extends GraphNode>(
  bn: tf.layers.Layer,
  relu: tf.layers.Layer | null,
  x: T,
  training: boolean,
  residual: ResidualInput<T> | null = null,
): T {
  const fused = fusedForBackend();
  if (fused && canFuse(bn, x, training) && (!residual || residual.other instanceof tf.Tensor)) {
    const layer = bn as unknown as BatchNormInternals;
    const { y, stats } = fused.apply(x, layer.gamma!.read() as tf.Tensor1D, layer.beta!.read() as tf.Tensor1D, {
      epsilon: layer.epsilon,
      relu: relu != null,
      residual: residual ? (residual.other as tf.Tensor) : null,
    });
    updateMovingStatistics(layer, stats, fused.movingAverage);
    stats.dispose();
    return y as T;
  }
  let y = applyLayer(bn, x, training);
  if (residual) y = applyLayer(residual.add, [y, residual.other], training);
  if (relu) y = applyLayer(relu, y, training);
  return y;
}
