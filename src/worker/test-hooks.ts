/// <reference lib="webworker" />
/**
 * Fault injection for end-to-end tests, installed only when the page was opened with `?testHooks=1`
 * (the client then names the worker 'simclr-trainer+testHooks'). Playwright calls them with
 * `worker.evaluate(() => self.__simclrTestHooks.loseDevice())`.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { injectedSwitchDelay } from './checkpoints/run-db';
import { injectedStepFault } from './faults';
import { injectedStepBudget } from './step-plan';

declare const self: DedicatedWorkerGlobalScope & { __simclrTestHooks?: unknown };

export const TEST_HOOKS_NAME_SUFFIX = '+testHooks';

export function installTestHooks(): void {
  if (!self.name.endsWith(TEST_HOOKS_NAME_SUFFIX)) return;
  self.__simclrTestHooks = {
    /** Destroys the WebGPU device under the running backend, as a driver reset would. */
    loseDevice(): string {
      if (tf.getBackend() !== 'webgpu') throw new Error(`backend is ${tf.getBackend()}, not webgpu`);
      (tf.backend() as WebGPUBackend).device.destroy();
      return 'destroyed';
    },
    /** From now on, a step at a batch size above `maxBatch` fails as WebGPU's allocator does. */
    outOfMemoryAbove(maxBatch: number): void {
      injectedStepFault.make = (config) =>
        config.batchSize > maxBatch
          ? new Error(`Failed to allocate GPU buffer: out of memory (simulated at batch size ${config.batchSize})`)
          : null;
    },
    /** From the next Start on, a step plans its passes for `bytes` of memory (null: the backend's own limit). */
    stepMemoryBudget(bytes: number | null): void {
      injectedStepBudget.bytes = bytes;
    },
    /** From now on, each checkpoint save waits `ms` after writing its bytes, before the run record switches to them. */
    slowCheckpointSwitch(ms: number): void {
      injectedSwitchDelay.ms = ms;
    },
    /** An uncaught error, then the worker closes itself: the worker is gone as after a real crash. */
    crash(): void {
      setTimeout(() => {
        setTimeout(() => self.close(), 0);
        throw new Error('simulated worker crash');
      }, 0);
    },
  };
}
