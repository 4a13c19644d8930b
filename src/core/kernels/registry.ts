import * as tf from '@tensorflow/tfjs';

/**
 * One of our faster GPU kernels. Either it replaces tfjs kernels outright (`overrides`: installed in
 * tfjs's kernel registry in place of the stock ones, which are kept and put back when switched off), or
 * it is a fused custom op that the engine calls only while `isCustomKernelEnabled(id)` (`ops`: the new
 * tfjs kernels it runs, registered only while it is on). Nothing else registers a kernel: with
 * `?kernels=stock` tfjs runs as shipped.
 */
export interface CustomKernel {
  /** Stable id for flags and bench output, e.g. 'conv2d-filter-grad'. */
  id: string;
  /** What it replaces, in a few words (shown in the bench and the backend line). */
  summary: string;
  backendName: string;
  overrides: readonly tf.KernelConfig[];
  /** Kernels of our own names that a fused op runs (none of tfjs's is replaced). */
  ops?: readonly tf.KernelConfig[];
}

/** 'custom': all of ours where the backend has them; 'stock': tfjs as shipped; or a list of ids to enable. */
export type KernelSelection = 'custom' | 'stock' | readonly string[];

const known = new Map<string, CustomKernel>();
const enabled = new Set<string>();
/** Stock configs replaced by an override, keyed `${backend}_${kernelName}`; undefined where tfjs had none. */
const stockConfigs = new Map<string, tf.KernelConfig | undefined>();

const keyOf = (config: tf.KernelConfig): string => `${config.backendName}_${config.kernelName}`;

/** Makes a kernel known to the registry (switched off until `selectKernels` enables it). */
export function defineCustomKernel(kernel: CustomKernel): void {
  if (known.has(kernel.id)) throw new Error(`custom kernel '${kernel.id}' is defined twice`);
  known.set(kernel.id, kernel);
}

export function definedCustomKernels(): CustomKernel[] {
  return [...known.values()];
}

function install(kernel: CustomKernel): void {
  for (const config of kernel.ops ?? [])
    if (!tf.getKernel(config.kernelName, config.backendName)) tf.registerKernel(config);
  for (const config of kernel.overrides) {
    const key = keyOf(config);
    if (!stockConfigs.has(key)) stockConfigs.set(key, tf.getKernel(config.kernelName, config.backendName));
    if (tf.getKernel(config.kernelName, config.backendName)) tf.unregisterKernel(config.kernelName, config.backendName);
    tf.registerKernel(config);
  }
}

function uninstall(kernel: CustomKernel): void {
  for (const config of kernel.ops ?? []) tf.unregisterKernel(config.kernelName, config.backendName);
  for (const config of kernel.overrides) {
    const key = keyOf(config);
    if (tf.getKernel(config.kernelName, config.backendName)) tf.unregisterKernel(config.kernelName, config.backendName);
    const stock = stockConfigs.get(key);
    if (stock) tf.registerKernel(stock);
  }
}

/**
 * Switches kernels on or off for `backendName` (the active backend); returns the ids now enabled.
 * Kernels of other backends are left alone.
 */
export function selectKernels(selection: KernelSelection, backendName: string): string[] {
  const wanted = (kernel: CustomKernel): boolean =>
    kernel.backendName === backendName &&
    (selection === 'custom' || (selection !== 'stock' && selection.includes(kernel.id)));
  for (const kernel of known.values()) {
    if (kernel.backendName !== backendName) continue;
    const on = wanted(kernel);
    if (on && !enabled.has(kernel.id)) {
      install(kernel);
      enabled.add(kernel.id);
    } else if (!on && enabled.has(kernel.id)) {
      uninstall(kernel);
      enabled.delete(kernel.id);
    }
  }
  return enabledCustomKernels();
}

/** The stock kernel an enabled override replaced, e.g. for inputs the override leaves to it. */
export function replacedStockKernel(kernelName: string, backendName: string): tf.KernelConfig | undefined {
  return stockConfigs.get(`${backendName}_${kernelName}`);
}

/** Runs the kernel an enabled override replaced, for the inputs the override leaves to it. */
export function runReplacedKernel(
  kernelName: string,
  backendName: string,
  args: Parameters<tf.KernelFunc>[0],
): ReturnType<tf.KernelFunc> {
  const config = replacedStockKernel(kernelName, backendName);
  if (!config) throw new Error(`tfjs-backend-${backendName} has no ${kernelName} kernel to fall back to`);
  return config.kernelFunc(args);
}

export function isCustomKernelEnabled(id: string): boolean {
  return enabled.has(id);
}

export function enabledCustomKernels(): string[] {
  return [...enabled].sort();
}
