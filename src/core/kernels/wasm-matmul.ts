import * as tf from '@tensorflow/tfjs';
import { type CustomKernel, runReplacedKernel } from './registry';

/** Id in the kernel registry. */
export const WASM_MATMUL_ID = 'wasm-matmul-transposed';

/**
 * tfjs-backend-wasm 4.22 multiplies with XNNPACK only when neither operand is transposed; with transposeA or
 * transposeB it runs a scalar loop (the projection head's weight gradients: 2.5 GFLOP/s, 26 ms of a small
 * ResNet step for four [64, 512]-sized products). Transposing the operand first with the stock Transpose
 * kernel and multiplying untransposed is the same sum in the same order per element.
 */
const batchMatMul: tf.KernelFunc = (args) => {
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
  if ((!transposeA && !transposeB) || a.dtype !== 'float32') return runReplacedKernel('BatchMatMul', 'wasm', args);
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!transpose) throw new Error('tfjs-backend-wasm has no Transpose kernel');
  const swapLast = (x: tf.TensorInfo) => {
    const perm = x.shape.map((_, i) => i);
    [perm[perm.length - 2], perm[perm.length - 1]] = [perm[perm.length - 1]!, perm[perm.length - 2]!];
    return transpose.kernelFunc({ inputs: { x }, backend: args.backend, attrs: { perm } }) as tf.TensorInfo;
  };
  const at = transposeA ? swapLast(a) : a;
  const bt = transposeB ? swapLast(b) : b;
  const out = runReplacedKernel('BatchMatMul', 'wasm', {
    inputs: { a: at, b: bt },
    backend: args.backend,
    attrs: { ...args.attrs, transposeA: false, transposeB: false },
  });
  const backend = args.backend as tf.KernelBackend;
  for (const temporary of [at, bt]) if (temporary !== a && temporary !== b) backend.disposeData(temporary.dataId);
  return out;
};

export const wasmMatMulKernel: CustomKernel = {
  id: WASM_MATMUL_ID,
  summary: 'BatchMatMul with a transposed operand: transpose, then XNNPACK (stock: a scalar loop)',
  backendName: 'wasm',
  overrides: [{ kernelName: 'BatchMatMul', backendName: 'wasm', kernelFunc: batchMatMul }],
};
