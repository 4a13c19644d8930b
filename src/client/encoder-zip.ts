/**
 * The export archive: `model.json` (tfjs LayersModel topology, weightsManifest pointing at 'weights.bin'),
 * `weights.bin`, `metadata.json` (input size, normalization, config, steps trained), and the encoder and
 * head as torchvision-named .safetensors with a README on loading them in PyTorch.
 */
import { strToU8, zipSync } from 'fflate';
import type { WorkerEvent } from '../protocol/messages';
import { pytorchReadme, pytorchZipEntries } from './pytorch-files';

export type ExportedEvent = Extract<WorkerEvent, { type: 'exported' }>;

export function encoderZipFileName(event: Pick<ExportedEvent, 'metadata'>): string {
  return `simclr-encoder-${event.metadata.config.encoder}-step${event.metadata.stepsTrained}.zip`;
}

export function buildEncoderZip(event: ExportedEvent): { blob: Blob; filename: string; bytes: number } {
  const zipped = zipSync(
    {
      'model.json': strToU8(event.modelJson),
      // Weights are float32 and barely compress; storing them saves time.
      'weights.bin': [new Uint8Array(event.weights), { level: 0 }],
      'metadata.json': strToU8(`${JSON.stringify(event.metadata, null, 2)}\n`),
      ...pytorchZipEntries(event.pytorch),
      'README.md': strToU8(`# SimCLR encoder exported by simclr-tab\n\n${pytorchReadme(event.metadata)}`),
    },
    { level: 6 },
  );
  const blob = new Blob([zipped as Uint8Array<ArrayBuffer>], { type: 'application/zip' });
  return { blob, filename: encoderZipFileName(event), bytes: zipped.byteLength };
}
