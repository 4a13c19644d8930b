import { checkEncoderWeights, type EncoderWeights } from '../core/export/torchvision-weights';
import type { TrainConfig } from '../protocol/config';
import { SafetensorsError } from '../protocol/safetensors';

/**
 * Reads a "Start from weights" file and checks it against the run's encoder. Runs before the current
 * run is replaced, so a bad file leaves it as it was; the message names the file.
 */
export async function readStartWeights(file: File, config: TrainConfig): Promise<EncoderWeights> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch (error) {
    throw new Error(`${file.name} could not be read (${error instanceof Error ? error.message : String(error)}).`);
  }
  try {
    return checkEncoderWeights(bytes, config, file.name);
  } catch (error) {
    if (error instanceof SafetensorsError) throw new Error(`${file.name}: ${error.message}`);
    throw error;
  }
}

/** The run option for `weights`, or none (exactOptionalPropertyTypes: never `initialWeights: undefined`). */
export function startingWeights(weights: EncoderWeights | undefined): { initialWeights?: EncoderWeights } {
  return weights ? { initialWeights: weights } : {};
}
