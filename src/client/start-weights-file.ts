/**
 * Reads the header of a "Start from weights" file (not its data: a ResNet-50 is 100 MB) and says what
 * it holds, or why it cannot be used, in a sentence that names the file.
 */
import { headerLength, parseHeader, SafetensorsError } from '../protocol/safetensors';
import { inspectStartWeights, type StartWeightsSummary } from '../protocol/start-weights';

/** torch.save() writes a zip (since PyTorch 1.6) or a pickle: neither can be read safely in a browser. */
function looksLikeTorchSave(first: Uint8Array, name: string): boolean {
  const zip = first[0] === 0x50 && first[1] === 0x4b;
  const pickle = first[0] === 0x80 && (first[1] ?? 0) <= 5;
  return zip || pickle || /\.(pth|pt|ckpt|bin)$/i.test(name);
}

export async function inspectWeightsFile(file: File): Promise<StartWeightsSummary> {
  const first = new Uint8Array(await file.slice(0, 8).arrayBuffer());
  try {
    const length = headerLength(first, file.size);
    const header = new Uint8Array(await file.slice(8, 8 + length).arrayBuffer());
    return inspectStartWeights(file.name, parseHeader(header, file.size));
  } catch (error) {
    if (!(error instanceof SafetensorsError)) throw error;
    const hint = looksLikeTorchSave(first, file.name)
      ? ' It looks like a PyTorch checkpoint (torch.save): convert it to .safetensors first (see the README, "Start from weights").'
      : '';
    throw new Error(`${file.name}: ${error.message}${hint}`);
  }
}
