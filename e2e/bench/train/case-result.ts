import * as tf from '@tensorflow/tfjs';
import { wasmThreading } from '../../../src/core/backend/wasm-threads';
import { ownWasmKernels } from '../../../src/core/kernels/wasm-simd/own-module';
import type { BackendName } from '../../../src/protocol/config';
import type { CaseResult } from './engine';

export interface PageCaseResult extends CaseResult {
  /** selectBackend's reason line: the adapter for WebGPU. */
  backendReason: string;
  /** For wasm: whether tfjs found SIMD and threads, and whether the page is cross-origin isolated. */
  wasmSimd: boolean | null;
  wasmThreads: boolean | null;
  /** For wasm: the threads XNNPACK computes with, as the wasm module reports it. */
  wasmThreadCount: number | null;
  /** For wasm: the threads our own SIMD kernels split their work across (null: not prepared). */
  ownKernelThreads: number | null;
  /** Of the parts our kernels split their work into so far, the share other threads ran. */
  ownKernelHelpedShare: number | null;
  /** Our kernel threads that started, and how often they woke for a job. */
  ownKernelHelpers: string | null;
  /** For webgl: the renderer (SwiftShader where there is no GPU). */
  webglRenderer: string | null;
  crossOriginIsolated: boolean;
  /** Where tfjs ran: the page's main thread, or a worker as in the app. */
  ranIn: 'page' | 'worker';
}

/** A case's result with what the backend said about itself, read where the case ran. */
export async function describeCase(
  backend: BackendName,
  result: CaseResult,
  backendReason: string,
  webglRenderer: string | null,
  ranIn: 'page' | 'worker',
): Promise<PageCaseResult> {
  const wasm = backend === 'wasm';
  return {
    ...result,
    backendReason,
    wasmSimd: wasm ? Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) : null,
    wasmThreads: wasm ? Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) : null,
    wasmThreadCount: wasm ? (wasmThreading()?.threads ?? null) : null,
    ownKernelThreads: wasm ? (ownWasmKernels(tf.backend())?.threads ?? null) : null,
    ownKernelHelpedShare: wasm ? (ownWasmKernels(tf.backend())?.pool?.helpedShare() ?? null) : null,
    ownKernelHelpers: wasm ? JSON.stringify(ownWasmKernels(tf.backend())?.pool?.helpers() ?? null) : null,
    webglRenderer,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    ranIn,
  };
}
