/**
 * tfjs-backend-wasm's threaded SIMD build in Node, for the CPU profile: like for like with PyTorch on
 * every core, as the app runs it in a cross-origin-isolated page (src/core/backend/wasm-threads.ts).
 *
 * tfjs itself refuses threads in Node (its WASM_HAS_MULTITHREAD_SUPPORT flag is false there) and, if
 * forced, hands emscripten a blob: URL for the pthread script, which Node's worker_threads cannot load.
 * The package's emscripten output does support Node, so this starts it the way wasm-threads.ts does in the
 * browser: the pthread script written to a real file, the main script given by path. Two more details as
 * in the browser: tfjs's C++ caps XNNPACK at half the logical cores (in Node it asks os.cpus()), so that
 * count is doubled while the module starts; and the kernels are registered under the name 'wasm', so this
 * factory replaces tfjs's.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { backendOverModule } from '../../../src/core/backend/wasm-module-bridge';

const require = createRequire(import.meta.url);

type Factory = (options: Record<string, unknown>) => Promise<object>;

/** Makes the next `tf.setBackend('wasm')` start the threaded SIMD build with `threads` threads. */
export function startThreadedWasmInNode(threads: number): void {
  const outDir = path.dirname(
    require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js'),
  );
  const mainScript = path.join(outDir, 'tfjs-backend-wasm-threaded-simd.js');
  const factory = require(mainScript) as Factory;
  const { wasmWorkerContents } = require(path.join(outDir, 'tfjs-backend-wasm-threaded-simd.worker.js')) as {
    wasmWorkerContents: string;
  };
  // As tfjs does for its blob: the template literal turned the "\n" escapes of string literals into newlines.
  const pthreadScript = path.join(os.tmpdir(), `simclr-tab-wasm-pthread-${process.pid}.cjs`);
  writeFileSync(pthreadScript, wasmWorkerContents.replace(/\n/g, '\\n'));
  setThreadsCount(threads);
  tf.removeBackend('wasm');
  tf.registerBackend(
    'wasm',
    async () => {
      const cpus = os.cpus;
      os.cpus = () => Array.from({ length: 2 * threads }, (_, i) => cpus()[i % cpus().length]!);
      try {
        const module = await factory({
          mainScriptUrlOrBlob: mainScript,
          locateFile: (file: string) => (file.endsWith('.worker.js') ? pthreadScript : path.join(outDir, file)),
        });
        return backendOverModule(module);
      } finally {
        os.cpus = cpus;
      }
    },
    3,
  );
}

/** Threads XNNPACK computes with, as the started module reports. */
export function nodeWasmThreads(): number {
  return getThreadsCount();
}
