import type { SpawnKernelThread } from './kernel-threads';

/** A kernel thread as a module worker of our own origin (the CSP allows no other), started from the training worker. */
export const spawnBrowserKernelThread: SpawnKernelThread = (start) => {
  const worker = new Worker(new URL('./kernel-thread.worker.ts', import.meta.url), {
    type: 'module',
    name: `wasm kernel thread ${start.thread}`,
  });
  worker.postMessage(start);
  return worker;
};
