/// <reference path="./tfjs-wasm-out.d.ts" />
/**
 * The WebAssembly backend with SIMD and threads (XNNPACK's thread pool on emscripten pthreads).
 *
 * Why tfjs's own start-up of the threaded build fails in our production bundle: emscripten starts each
 * pthread as a classic worker that `importScripts()` the module's main script and calls
 * `WasmBackendModuleThreadedSimd(Module)` from it. tfjs-backend-wasm has no script file to give it, so it
 * builds one: `new Blob(['var WasmBackendModuleThreadedSimd = ' + wasmFactoryThreadedSimd.toString()])`.
 * That text is only the inner factory function; in the package it refers to one variable of its enclosing
 * closure, `_scriptDir`, behind a `typeof _scriptDir !== "undefined"` guard, so it survives being cut out.
 * Vite's minifier renames `_scriptDir` to `e` and, since `e` is declared in the enclosing scope, drops the
 * guard: the cut-out text then reads a free `e` and every pthread dies with "ReferenceError: e is not
 * defined" (measured in Chromium on the built app). Under our CSP (`script-src 'self'`) the blob cannot even
 * be imported ("Failed to execute 'importScripts'"), minified or not.
 *
 * The fix: start the threaded module ourselves with `mainScriptUrlOrBlob` set to the package's own,
 * unminified wasm-out script served as a same-origin file (Vite `?url`): pthreads import the exact text
 * the package ships, and `script-src 'self'` allows it. The main (this) thread runs the bundled copy of
 * the same factory, whose messages to its pthreads are string-keyed and unaffected by renaming.
 */
import * as tf from '@tensorflow/tfjs';
import { type BackendWasm, getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import threadedSimdFactory from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';
import { wasmWorkerContents } from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js';
import { backendOverModule } from './wasm-module-bridge';

export interface WasmThreadedPaths {
  /** URL of tfjs-backend-wasm-threaded-simd.wasm. */
  threadedSimdWasm: string;
  /** URL of the package's unminified wasm-out/tfjs-backend-wasm-threaded-simd.js, served as a file. */
  threadedSimdScript: string;
}

export interface WasmThreading {
  simd: boolean;
  /** Threads XNNPACK computes with (the calling thread included), as the wasm module reports it. */
  threads: number;
  /** Why the backend runs on one thread; '' when it is threaded. */
  singleThreadReason: string;
}

/**
 * The threaded build pre-starts a pool of 8 pthread workers (emscripten PTHREAD_POOL_SIZE). A thread
 * beyond the pool needs a new worker, which only starts once this thread returns to its event loop; XNNPACK
 * would wait for it forever. So at most 8 threads (the pool, less one, plus this thread would allow 9).
 */
export const MAX_WASM_THREADS = 8;
const WASM_PRIORITY = 2;
const START_TIMEOUT_MS = 30_000;

let threading: WasmThreading | null = null;

/** How the wasm backend computes, once it has started; null before. */
export function wasmThreading(): WasmThreading | null {
  return threading;
}

/** The threads to ask for: every logical core the browser reports, up to the pool size. */
export function wasmThreadsWanted(hardwareConcurrency: number | undefined): number {
  return Math.max(1, Math.min(hardwareConcurrency ?? 1, MAX_WASM_THREADS));
}

/** Why threads cannot be used here, or null when they can. */
async function threadBlocker(simd: boolean): Promise<string | null> {
  if (tf.env().get('IS_NODE')) return 'tfjs-backend-wasm runs single-threaded in Node';
  if (!simd) return "this browser's WebAssembly has no SIMD, which the threaded build needs";
  if (globalThis.crossOriginIsolated !== true) {
    return (
      'the page is not cross-origin isolated, so SharedArrayBuffer is unavailable (the server must send ' +
      'Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)'
    );
  }
  if (!(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'))) return "this browser's WebAssembly has no threads";
  if (wasmThreadsWanted(globalThis.navigator?.hardwareConcurrency) < 2) return 'the browser reports one CPU core';
  return null;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) return String(error.message);
  return String(error);
}

/**
 * tfjs's C++ (backend.cc) caps XNNPACK's pool at emscripten_num_logical_cores() / 2, i.e.
 * navigator.hardwareConcurrency / 2 (it assumes two hyperthreads per core), whatever setThreadsCount asks:
 * on a 2-core machine that is one thread. The module reads the count once, in its static constructors
 * while it starts, so for that time this worker's navigator reports `cores`; returns the undo.
 */
function presentLogicalCores(cores: number): () => void {
  const nav = globalThis.navigator;
  const own = Object.getOwnPropertyDescriptor(nav, 'hardwareConcurrency');
  Object.defineProperty(nav, 'hardwareConcurrency', { value: cores, configurable: true });
  return () => {
    if (own) Object.defineProperty(nav, 'hardwareConcurrency', own);
    else delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency;
  };
}

/** Starts the threaded SIMD module with `threads` threads; rejects if any part of it fails to start. */
function startThreaded(paths: WasmThreadedPaths, threads: number): Promise<BackendWasm> {
  setThreadsCount(threads);
  // Absolute: a pthread worker is a blob: worker, against whose URL a path cannot be resolved.
  const mainScript = new URL(paths.threadedSimdScript, globalThis.location.href).href;
  // As tfjs does: the Blob would turn the "\n" escapes inside the script's string literals into newlines.
  const pthreadScript = URL.createObjectURL(
    new Blob([wasmWorkerContents.replace(/\n/g, '\\n')], { type: 'text/javascript' }),
  );
  const restoreCores = presentLogicalCores(2 * threads);
  return new Promise<BackendWasm>((resolve, reject) => {
    let settled = false;
    const finish = (): void => {
      settled = true;
      clearTimeout(timer);
      globalThis.removeEventListener('error', onPthreadError);
      restoreCores();
    };
    const fail = (why: string): void => {
      if (settled) return;
      finish();
      reject(new Error(why));
    };
    // A pthread worker that fails to load throws from emscripten's worker.onerror handler, which lands
    // here as an uncaught error of this worker. Handled, it does not take the training worker down.
    const onPthreadError = (event: ErrorEvent): void => {
      if (settled) return;
      event.preventDefault();
      fail(`a thread worker failed: ${event.message}`);
    };
    globalThis.addEventListener('error', onPthreadError);
    const timer = setTimeout(
      () => fail(`its ${MAX_WASM_THREADS} thread workers did not start within ${START_TIMEOUT_MS / 1000} s`),
      START_TIMEOUT_MS,
    );
    let pending: Promise<Awaited<ReturnType<typeof threadedSimdFactory>>>;
    try {
      pending = threadedSimdFactory({
        mainScriptUrlOrBlob: mainScript,
        locateFile: (path, prefix) => {
          if (path.endsWith('.worker.js')) return pthreadScript;
          if (path.endsWith('.wasm')) return paths.threadedSimdWasm;
          return prefix + path;
        },
        onAbort: (message) => fail(`it aborted: ${message}`),
      });
    } catch (error) {
      fail(messageOf(error));
      return;
    }
    pending.then(
      (module) => {
        if (settled) {
          // Started after we gave up on it: stop its workers; the single-thread module is in use.
          (module as unknown as { PThread?: { terminateAllThreads(): void } }).PThread?.terminateAllThreads();
          return;
        }
        try {
          const backend = backendOverModule(module);
          finish();
          resolve(backend);
        } catch (error) {
          fail(messageOf(error));
        }
      },
      (error: unknown) => fail(messageOf(error)),
    );
  });
}

/**
 * Replaces tfjs-backend-wasm's backend factory with one that starts the threaded SIMD build itself
 * (see the top of this file) when the page allows threads, and tfjs's own single-thread start-up
 * otherwise. Call before the wasm backend is first used; `wasmThreading()` then says what it runs on.
 */
export function installWasmBackend(paths: WasmThreadedPaths): void {
  const stock = tf.findBackendFactory('wasm');
  if (!stock) throw new Error('tfjs-backend-wasm must be imported before installWasmBackend()');
  tf.removeBackend('wasm');
  tf.registerBackend(
    'wasm',
    async () => {
      const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
      let blocker = await threadBlocker(simd);
      if (blocker === null) {
        try {
          const backend = await startThreaded(paths, wasmThreadsWanted(globalThis.navigator.hardwareConcurrency));
          threading = { simd: true, threads: getThreadsCount(), singleThreadReason: '' };
          return backend;
        } catch (error) {
          blocker = `the threaded build failed to start (${messageOf(error)})`;
        }
      }
      // tfjs's own start-up, told not to pick the threaded binary.
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      const backend = await stock();
      threading = { simd, threads: 1, singleThreadReason: blocker };
      return backend;
    },
    WASM_PRIORITY,
  );
}

/** The backend line's detail for wasm: "SIMD, 2 threads" or why it runs on one. */
export function describeWasmThreading(info: WasmThreading | null): string {
  if (!info) return '';
  const simd = info.simd ? 'SIMD' : 'no SIMD';
  if (info.threads > 1) return `${simd}, ${info.threads} threads`;
  return `${simd}, 1 thread: ${info.singleThreadReason || 'XNNPACK chose one thread'}`;
}
