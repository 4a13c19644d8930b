/**
 * The training-speed bench page: runs engine.ts (the app's real SimCLR step) on WebGPU with our kernels on
 * and off, and on the wasm backend set up exactly as the app's worker sets it up (registerBackends, then
 * selectBackend and the kernel selection, as session.ts does) in a worker as the app (wasm-case.worker.ts),
 * so work on either backend shows up here.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../src/core/backend/select-backend';
import type { BackendName } from '../../../src/protocol/config';
import { registerBackends } from '../../../src/worker/register-backends';
import { describeCase, type PageCaseResult } from './case-result';
import type { TrainCase } from './cases';
import { type KernelMode, runTrainCase } from './engine';

/** The WebGL renderer in words; the unmasked one where the browser exposes it. */
function webglRenderer(): string {
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) return 'no WebGL2 context';
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}

registerBackends();

let current: { backend: BackendName; reason: string } | null = null;

async function switchToBackend(backend: BackendName): Promise<string> {
  if (current?.backend === backend && tf.getBackend() === backend) return current.reason;
  const selection = await selectBackend(backend);
  if (selection.backend !== backend) throw new Error(`${backend} did not start: ${selection.reason}`);
  current = { backend, reason: selection.reason };
  return selection.reason;
}

let wasmWorker: Worker | null = null;

/** A wasm case in a worker (wasm-case.worker.ts), as the app runs it. */
function runWasmCaseInWorker(c: TrainCase, kernels: KernelMode): Promise<PageCaseResult> {
  wasmWorker ??= new Worker(new URL('./wasm-case.worker.ts', import.meta.url), { type: 'module' });
  const worker = wasmWorker;
  return new Promise((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<{ result?: PageCaseResult; error?: string }>) =>
      event.data.result ? resolve(event.data.result) : reject(new Error(event.data.error));
    worker.onerror = (event) => reject(new Error(event.message));
    worker.postMessage({ c, kernels });
  });
}

async function runCase(backend: BackendName, c: TrainCase, kernels: KernelMode): Promise<PageCaseResult> {
  if (backend === 'wasm') return runWasmCaseInWorker(c, kernels);
  const backendReason = await switchToBackend(backend);
  const result = await runTrainCase(c, kernels);
  return describeCase(backend, result, backendReason, backend === 'webgl' ? webglRenderer() : null, 'page');
}

declare global {
  interface Window {
    runTrainCase: (backend: BackendName, c: TrainCase, kernels: KernelMode) => Promise<PageCaseResult>;
  }
}

window.runTrainCase = runCase;
const status = document.getElementById('status');
if (status) status.textContent = 'ready';
