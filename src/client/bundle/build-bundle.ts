/**
 * The export bundle: the encoder (model.json, weights.bin; encoder and head .safetensors for PyTorch),
 * metadata.json, embeddings.npy + files.csv, vectors.tsv + metadata.tsv for the Embedding Projector,
 * a run report, a README and the checkpoint, in one zip.
 */
import { strToU8, type Zippable, zipSync } from 'fflate';
import type { ExportMetadata, PytorchFiles } from '../../protocol/messages';
import { PYTORCH_ENCODER_FILE, PYTORCH_HEAD_FILE, pytorchZipEntries } from '../pytorch-files';
import { bundleReadme } from './bundle-readme';
import { filesCsv } from './files-csv';
import { float32Npy } from './npy';
import { metadataTsv, vectorsTsv } from './projector-tsv';
import { type ChartImage, runReport } from './run-report';

export const BUNDLE_FORMAT = 'simclr-tab-bundle';
export const CHECKPOINT_FILE = 'checkpoint.simclr';

/** Every file a bundle holds besides the report's images. */
export const BUNDLE_FILES = [
  'model.json',
  'weights.bin',
  'metadata.json',
  'embeddings.npy',
  'files.csv',
  'vectors.tsv',
  'metadata.tsv',
  PYTORCH_ENCODER_FILE,
  PYTORCH_HEAD_FILE,
  'README.md',
  'report/report.md',
  'report/metrics.csv',
  CHECKPOINT_FILE,
] as const;

export interface BundleParts {
  modelJson: string;
  weights: ArrayBuffer;
  pytorch: PytorchFiles;
  metadata: ExportMetadata;
  embeddings: Float32Array;
  count: number;
  dim: number;
  paths: string[];
  datasetFingerprint: string;
  checkpoint: ArrayBuffer;
  metricsCsv: string;
  charts: ChartImage[];
}

export function bundleFileName(metadata: ExportMetadata): string {
  return `simclr-bundle-${metadata.config.encoder}-step${metadata.stepsTrained}.zip`;
}

export function buildBundle(parts: BundleParts): { blob: Blob; filename: string; bytes: number } {
  const metadata = {
    ...parts.metadata,
    bundleFormat: BUNDLE_FORMAT,
    datasetFingerprint: parts.datasetFingerprint,
    embeddings: { file: 'embeddings.npy', files: 'files.csv', count: parts.count, dim: parts.dim, dtype: 'float32' },
  };
  const stored = { level: 0 } as const; // float data barely compresses
  const files: Zippable = {
    'model.json': strToU8(parts.modelJson),
    'weights.bin': [new Uint8Array(parts.weights), stored],
    'metadata.json': strToU8(`${JSON.stringify(metadata, null, 2)}\n`),
    'embeddings.npy': [float32Npy(parts.embeddings, parts.count, parts.dim), stored],
    'files.csv': strToU8(filesCsv(parts.paths)),
    'vectors.tsv': strToU8(vectorsTsv(parts.embeddings, parts.count, parts.dim)),
    'metadata.tsv': strToU8(metadataTsv(parts.paths)),
    ...pytorchZipEntries(parts.pytorch),
    'README.md': strToU8(bundleReadme(parts.metadata, parts.count, parts.dim)),
    'report/report.md': strToU8(runReport(parts.metadata, parts.charts, parts.datasetFingerprint)),
    'report/metrics.csv': strToU8(parts.metricsCsv),
    [CHECKPOINT_FILE]: [new Uint8Array(parts.checkpoint), stored],
  };
  for (const chart of parts.charts) files[`report/${chart.name}`] = [chart.png, stored];
  const zipped = zipSync(files, { level: 6 });
  const blob = new Blob([zipped as Uint8Array<ArrayBuffer>], { type: 'application/zip' });
  return { blob, filename: bundleFileName(parts.metadata), bytes: zipped.byteLength };
}
