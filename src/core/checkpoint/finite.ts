import type { TrainingState } from './training-state';

/** Name of the first weight or optimizer slot holding NaN or Infinity, or null when the state is usable. */
export function firstNonFinite(state: TrainingState): string | null {
  for (const record of [...state.weights, ...state.optimizer.slots]) {
    for (const value of record.values) if (!Number.isFinite(value)) return record.name;
  }
  return null;
}
