import * as tf from '@tensorflow/tfjs';
import { type CustomKernel, isCustomKernelEnabled } from '../registry';
import { ownWasmKernels, runOwnKernel } from './own-module';
import type { WasmHeapBackend } from './wasm-heap';

/** Id in the kernel registry; augment-views.ts runs colour jitter through it on wasm while it is enabled. */
export const WASM_COLOR_JITTER_ID = 'wasm-color-jitter';
const COLOR_JITTER = 'SimclrColorJitter';

/**
 * x [V, s, s, 3] in [0, 1]; factors [V, 4] (brightness, contrast, saturation, hue), order [V, 4] int32 (op
 * indices in the view's order), gray [V] (> 0: grayscale). Returns the jittered views.
 */
export function colorJitterInWasm(x: tf.Tensor4D, factors: tf.Tensor2D, order: tf.Tensor2D, gray: tf.Tensor1D) {
  return tf.engine().runKernel(COLOR_JITTER, { x, factors, order, gray }) as tf.Tensor4D;
}

/** True where colorJitterInWasm can run: the wasm backend with our kernels prepared and this one enabled. */
export function canJitterInWasm(): boolean {
  return (
    isCustomKernelEnabled(WASM_COLOR_JITTER_ID) && tf.getBackend() === 'wasm' && ownWasmKernels(tf.backend()) !== null
  );
}

const colorJitterKernel: tf.KernelFunc = ({ inputs, backend }) => {
  const { x, factors, order, gray } = inputs as Record<string, tf.TensorInfo>;
  const own = ownWasmKernels(backend as tf.KernelBackend);
  if (!own) throw new Error('our wasm colour jitter runs only after prepareOwnWasmKernels');
  const heap = backend as unknown as WasmHeapBackend;
  const [views, height, width] = x!.shape as [number, number, number, number];
  const out = heap.makeOutput([...x!.shape], 'float32');
  const at = (info: tf.TensorInfo) => heap.getMemoryOffset(info.dataId);
  runOwnKernel(own, 'colorJitter', {
    firstImage: 0,
    endImage: views,
    args: [at(x!), at(out), height * width, at(factors!), at(order!), at(gray!)],
  });
  return out;
};

/**
 * Colour jitter (each view's four ops in its own order) and random grayscale as one pass of our own wasm kernel
 * (assembly/color-jitter.ts) per view, split across the kernel threads. In tf ops every op runs over the whole
 * batch once per order slot some view needs it (hue alone is ~40 ops), 400+ kernels a batch.
 */
export const wasmColorJitterKernel: CustomKernel = {
  id: WASM_COLOR_JITTER_ID,
  summary: 'colour jitter and random grayscale as one pass of our own WebAssembly kernel per view',
  backendName: 'wasm',
  overrides: [],
  ops: [{ kernelName: COLOR_JITTER, backendName: 'wasm', kernelFunc: colorJitterKernel }],
};
