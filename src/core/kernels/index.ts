import { registerWasmConv2dFilterGrad, WASM_INPUT_GRAD_ID, wasmInputGradKernel } from '../backend/conv2d-grad-in-ops';
import { batchNormReluOpsKernel } from './batchnorm-relu-ops';
import { type CustomKernel, defineCustomKernel, enabledCustomKernels, selectKernels } from './registry';
import { wasmCopyKernel } from './wasm-copy-kernels';
import { wasmConvForwardKernel } from './wasm-simd/conv-forward-kernel';
import { wasmFilterGradKernel } from './wasm-simd/filter-grad-kernel';
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
 * For tests and benches on wasm without a worker session: the filter gradient tfjs-backend-wasm lacks,
 * and our input gradient switched on through the registry (the other kernels stay as they are).
 */
export function registerWasmConvGradients(): void {
  registerWasmConv2dFilterGrad();
  defineAllCustomKernels();
  selectKernels([...enabledCustomKernels(), WASM_INPUT_GRAD_ID], 'wasm');
}

export {
  definedCustomKernels,
  enabledCustomKernels,
  isCustomKernelEnabled,
  type KernelSelection,
  selectKernels,
} from './registry';
