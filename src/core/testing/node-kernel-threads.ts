/// <reference types="node" />
import { Worker } from 'node:worker_threads';
import { runKernelThread } from '../kernels/wasm-simd/kernel-thread-body';
import type { SpawnKernelThread } from '../kernels/wasm-simd/kernel-threads';

/**
 * A kernel thread in Node (tests and the CPU bench): a worker_threads worker running runKernelThread from its
 * source text, which is self-contained for that reason. Unref'd, so a waiting thread never keeps Node alive.
 */
export const spawnNodeKernelThread: SpawnKernelThread = (start) => {
  const source = `require('node:worker_threads').parentPort.once('message', ${runKernelThread.toString()});`;
  const worker = new Worker(source, { eval: true });
  worker.unref();
  worker.postMessage(start);
  return { terminate: () => void worker.terminate() };
};
