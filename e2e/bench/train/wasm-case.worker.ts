/// <reference lib="webworker" />
/**
 * The wasm cases of the bench page run here, in a dedicated worker, as the app trains (worker/session.ts):
 * our kernel threads help only a thread that may block, and measured no help to the page's main thread.
 */
import { selectBackend } from '../../../src/core/backend/select-backend';
import { registerBackends } from '../../../src/worker/register-backends';
import { describeCase } from './case-result';
import type { TrainCase } from './cases';
import { type KernelMode, runTrainCase } from './engine';

registerBackends();
let reason: string | null = null;

self.onmessage = async (event: MessageEvent<{ c: TrainCase; kernels: KernelMode }>) => {
  try {
    if (reason === null) {
      const selection = await selectBackend('wasm');
      if (selection.backend !== 'wasm') throw new Error(`wasm did not start: ${selection.reason}`);
      reason = selection.reason;
    }
    const result = await runTrainCase(event.data.c, event.data.kernels);
    self.postMessage({ result: await describeCase('wasm', result, reason, null, 'worker') });
  } catch (error) {
    self.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
};
