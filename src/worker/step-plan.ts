import * as tf from '@tensorflow/tfjs';
import { stepMemoryLimits } from '../core/backend/memory-limits';
import type { ImageStore } from '../core/data/image-store';
import type { BackendName, TrainConfig } from '../protocol/config';
import { type MemoryLimits, planStep, type StepPlan } from '../protocol/step-memory';
import { StepDoesNotFitError, stepDoesNotFitMessage } from './step-does-not-fit';

const BACKEND_LABEL: Record<BackendName, string> = {
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WebAssembly',
  cpu: 'the CPU backend',
};

/** Test-only (worker/test-hooks.ts): a step memory budget in bytes in place of the backend's. */
export const injectedStepBudget: { bytes: number | null } = { bytes: null };

/** The active backend's limits for a step on `store` with `paramCount` weights held (or the test budget). */
export function runStepLimits(store: ImageStore, paramCount: number): MemoryLimits {
  const measured = stepMemoryLimits(paramCount, store.length * store.size * store.size * 3);
  const budget = injectedStepBudget.bytes;
  return budget === null ? measured : { ...measured, budgetBytes: budget, source: 'the test budget' };
}

/**
 * The passes a run's step takes on the active backend (at least `minPasses`), or a StepDoesNotFitError
 * that names the setting at fault and a batch size that fits.
 */
export function planRunStep(config: TrainConfig, store: ImageStore, paramCount: number, minPasses = 1): StepPlan {
  const result = planStep(config, runStepLimits(store, paramCount), minPasses);
  if (result.fits) return result.plan;
  const backend = BACKEND_LABEL[tf.getBackend() as BackendName] ?? tf.getBackend();
  throw new StepDoesNotFitError(stepDoesNotFitMessage(config, result, backend), result.largestBatch);
}
