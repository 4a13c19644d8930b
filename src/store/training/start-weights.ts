/**
 * "Start from weights": the chosen .safetensors file, what it holds, or why it was refused. The File
 * itself stays out of the store (only serializable data there); Start sends it to the worker.
 */
import { inspectWeightsFile } from '../../client/start-weights-file';
import { configForWeights, type StartWeightsSummary } from '../../protocol/start-weights';
import { useAppStore } from '../app-store';
import { markOverridden } from './auto-config';
import type { StartWeightsState } from './start-weights-state';

let chosenFile: File | null = null;

/** The file Start sends, when one is chosen. */
export function startWeightsFile(): File | null {
  return useAppStore.getState().training.startWeights.summary ? chosenFile : null;
}

function patch(update: Partial<StartWeightsState>): void {
  useAppStore.setState((s) => ({
    training: { ...s.training, startWeights: { ...s.training.startWeights, ...update } },
  }));
}

/** Reads the file's header; on success the settings take its encoder, stem and widths. */
export async function chooseStartWeights(file: File): Promise<void> {
  patch({ reading: true, error: null });
  let summary: StartWeightsSummary;
  try {
    summary = await inspectWeightsFile(file);
  } catch (error) {
    patch({ reading: false, error: error instanceof Error ? error.message : String(error) });
    return;
  }
  chosenFile = file;
  useAppStore.setState((s) => {
    const config = configForWeights(s.training.config, summary);
    // Auto-configuration must not change what the file fixes.
    const fixed = [
      'encoder',
      'widthMultiplier',
      'stem',
      ...(config.imageSize !== s.training.config.imageSize ? ['imageSize'] : []),
    ];
    const training = markOverridden({ ...s.training, config }, fixed);
    return { training: { ...training, startWeights: { summary, error: null, reading: false } } };
  });
}

/** Back to seeded initial weights (the settings stay as they are). */
export function clearStartWeights(): void {
  chosenFile = null;
  patch({ summary: null, error: null });
}
