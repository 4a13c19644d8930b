import * as tf from '@tensorflow/tfjs';
import { registerWasmConv2dFilterGrad, WASM_INPUT_GRAD_ID, wasmInputGradKernel } from '../backend/conv2d-grad-in-ops';
import { batchNormReluOpsKernel } from './batchnorm-relu-ops';
import { type CustomKernel, defineCustomKernel, enabledCustomKernels, selectKernels } from './registry';
import { wasmCopyKernel } from './wasm-copy-kernels';
import { wasmMatMulKernel } from './wasm-matmul';
import { wasmBatchNormReluKernel } from './wasm-simd/batchnorm-kernels';
import { wasmColorJitterKernel } from './wasm-simd/color-jitter-kernel';
import { WASM_CONV_FORWARD_ID, wasmConvForwardKernel } from './wasm-simd/conv-forward-kernel';
import { WASM_FILTER_GRAD_ID, wasmFilterGradKernel } from './wasm-simd/filter-grad-kernel';
import { prepareOwnWasmKernels } from './wasm-simd/own-module';
import { batchNormReluKernel } from './webgpu/batchnorm-relu';
import { conv2dFilterGradKernel } from './webgpu/conv2d-filter-grad';
import { ntXentKernel } from './webgpu/nt-xent';

/** Every kernel of ours, in no particular order. */
const KERNELS: readonly CustomKernel[] = [
  conv2dFilterGradKernel,
  batchNormReluKernel,
  ntXentKernel,
  batchNormReluOpsKernel,
  wasmInputGradKernel,
  wasmCopyKernel,
  wasmFilterGradKernel,
  wasmConvForwardKernel,
  wasmBatchNormReluKernel,
  wasmMatMulKernel,
  wasmColorJitterKernel,
];

/**
 * Our kernels, defined once per process (each module exports a `CustomKernel`). Add new ones to the list;
 * `selectKernels` (registry.ts) switches them on for the active backend.
 */
let defined = false;

export function defineAllCustomKernels(): void {
  if (defined) return;
  defined = true;
  for (const kernel of KERNELS) defineCustomKernel(kernel);
}

/**
 * For tests and benches on wasm without a worker session: the filter gradient tfjs-backend-wasm lacks, our
 * own SIMD kernels prepared on this thread, and our convolution kernels switched on through the registry
 * (the other kernels stay as they are).
 */
export async function registerWasmConvGradients(): Promise<void> {
  registerWasmConv2dFilterGrad();
  defineAllCustomKernels();
  await prepareOwnWasmKernels(tf.backend());
  selectKernels([...enabledCustomKernels(), WASM_INPUT_GRAD_ID, WASM_FILTER_GRAD_ID, WASM_CONV_FORWARD_ID], 'wasm');
}

export {
  definedCustomKernels,
  enabledCustomKernels,
  isCustomKernelEnabled,
  type KernelSelection,
  selectKernels,
} from './registry';
