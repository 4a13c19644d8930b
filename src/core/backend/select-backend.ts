import * as tf from '@tensorflow/tfjs';
import type { BackendChoice, BackendName } from '../../protocol/config';
import { spawnBrowserKernelThread } from '../kernels/wasm-simd/browser-kernel-threads';
import { prepareOwnWasmKernels } from '../kernels/wasm-simd/own-module';
import { registerWasmConv2dFilterGrad } from './conv2d-grad-in-ops';
import { describeWasmThreading, wasmThreading } from './wasm-threads';

export interface BackendSelection {
  backend: BackendName;
  /** Why this backend runs: the adapter for WebGPU, or why each better backend was passed over. */
  reason: string;
  adapterInfo: string;
}

export const FALLBACK_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

const LABEL: Record<BackendName, string> = {
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WebAssembly',
  cpu: 'plain JavaScript (CPU)',
};

/** Backends to try, best first; an explicit choice is tried first, then the usual order. */
export function backendOrder(choice: BackendChoice): BackendName[] {
  if (choice === 'auto') return [...FALLBACK_ORDER];
  return [choice, ...FALLBACK_ORDER.filter((b) => b !== choice)];
}

async function describeWebGpuAdapter(): Promise<string> {
  const gpu = (globalThis.navigator as (Navigator & { gpu?: GPU }) | undefined)?.gpu;
  if (!gpu) throw new Error('this browser has no WebGPU (navigator.gpu is missing)');
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('no WebGPU adapter (the GPU is blocklisted, disabled, or absent)');
  const info = adapter.info;
  return [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'unnamed adapter';
}

/**
 * Initializes `name` and makes it the active backend, then runs one op with a read-back, so a backend that
 * registers but cannot compute is rejected. Returns the WebGPU adapter's description ('' for the others).
 */
export async function startBackend(name: BackendName): Promise<string> {
  const adapterInfo = name === 'webgpu' ? await describeWebGpuAdapter() : '';
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`${LABEL[name]} failed to initialize`);
  await tf.ready();
  const probe = tf.square(tf.tensor1d([1, 2, 3]));
  // GPU-to-CPU sync, once at start-up.
  const values = await probe.data();
  probe.dispose();
  if (values[2] !== 9) throw new Error(`${LABEL[name]} computed a wrong result`);
  // tfjs-backend-wasm has no Conv2DBackpropFilter; the input-gradient replacement is in core/kernels.
  if (name === 'wasm') {
    registerWasmConv2dFilterGrad();
    // Our own SIMD kernels, on as many threads as XNNPACK has (they never run at the same time).
    const threads = wasmThreading()?.threads ?? 1;
    const spawn = typeof Worker === 'undefined' ? undefined : spawnBrowserKernelThread;
    await prepareOwnWasmKernels(tf.backend(), threads, spawn);
  }
  return adapterInfo;
}

/**
 * Tries backends in order until one works; every backend that failed is named in the reason, which makes
 * no claim about speed (worker/backend-comparison.ts measures that).
 */
export async function selectBackend(choice: BackendChoice): Promise<BackendSelection> {
  const failures: string[] = [];
  for (const name of backendOrder(choice)) {
    try {
      const adapterInfo = await startBackend(name);
      const chosen = choice === 'auto' || choice === name ? '' : `${LABEL[choice as BackendName]} was requested. `;
      // WebAssembly names its SIMD and thread count, or why it runs on one thread.
      const detail = name === 'wasm' ? describeWasmThreading(wasmThreading()) : '';
      const label = `${LABEL[name]}${detail ? ` (${detail})` : ''}`;
      // How it was chosen (URL, comparison, pick) is the worker's decision, said beside this line.
      const reason =
        failures.length === 0
          ? `${label}${adapterInfo ? ` on ${adapterInfo}` : ''}`
          : `${chosen}${failures.join('; ')}. Using ${label} instead.`;
      return { backend: name, reason, adapterInfo };
    } catch (error) {
      failures.push(`${LABEL[name]} unavailable: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new Error(`No compute backend could start. ${failures.join('; ')}`);
}
