import type { StartWeightsSummary } from '../../protocol/start-weights';

/** "Start from weights" in the training slice (actions: training/start-weights.ts). */
export interface StartWeightsState {
  /** The file the next run starts from (null: seeded initial weights). */
  summary: StartWeightsSummary | null;
  /** Why the last file chosen was refused; the file chosen before it, if any, stays. */
  error: string | null;
  reading: boolean;
}

export const initialStartWeightsState = (): StartWeightsState => ({ summary: null, error: null, reading: false });
