import { batchNormReluOpsKernel } from './batchnorm-relu-ops';
import { type CustomKernel, defineCustomKernel } from './registry';
import { batchNormReluKernel } from './webgpu/batchnorm-relu';
import { conv2dFilterGradKernel } from './webgpu/conv2d-filter-grad';
import { ntXentKernel } from './webgpu/nt-xent';

/** Every kernel of ours, in no particular order. */
const KERNELS: readonly CustomKernel[] = [
  conv2dFilterGradKernel,
  batchNormReluKernel,
  ntXentKernel,
  batchNormReluOpsKernel,
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

export { enabledCustomKernels, isCustomKernelEnabled, type KernelSelection, selectKernels } from './registry';
