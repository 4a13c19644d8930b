/**
 * The training-speed bench page: runs engine.ts (the app's real SimCLR step) on WebGPU with our kernels on
 * and off, and on the wasm backend set up exactly as the app's worker sets it up (registerBackends, then
 * selectBackend and the kernel selection, as session.ts does), so work on either backend shows up here.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../src/core/backend/select-backend';
import { wasmThreading } from '../../../src/core/backend/wasm-threads';
import type { BackendName } from '../../../src/protocol/config';
import { registerBackends } from '../../../src/worker/register-backends';
import type { TrainCase } from './cases';
import { type CaseResult, type KernelMode, runTrainCase } from './engine';

export interface PageCaseResult extends CaseResult {
  /** selectBackend's reason line: the adapter for WebGPU. */
  backendReason: string;
  /** For wasm: whether tfjs found SIMD and threads, and whether the page is cross-origin isolated. */
  wasmSimd: boolean | null;
  wasmThreads: boolean | null;
  /** For wasm: the threads XNNPACK computes with, as the wasm module reports it. */
  wasmThreadCount: number | null;
  /** For webgl: the renderer (SwiftShader where there is no GPU). */
  webglRenderer: string | null;
  crossOriginIsolated: boolean;
}

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

async function runCase(backend: BackendName, c: TrainCase, kernels: KernelMode): Promise<PageCaseResult> {
  const backendReason = await switchToBackend(backend);
  const result = await runTrainCase(c, kernels);
  const wasm = backend === 'wasm';
  return {
    ...result,
    backendReason,
    wasmSimd: wasm ? Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) : null,
    wasmThreads: wasm ? Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) : null,
    wasmThreadCount: wasm ? (wasmThreading()?.threads ?? null) : null,
    webglRenderer: backend === 'webgl' ? webglRenderer() : null,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
  };
}

declare global {
  interface Window {
    runTrainCase: (backend: BackendName, c: TrainCase, kernels: KernelMode) => Promise<PageCaseResult>;
  }
}

window.runTrainCase = runCase;
const status = document.getElementById('status');
if (status) status.textContent = 'ready';
