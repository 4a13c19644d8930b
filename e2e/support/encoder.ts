/**
 * Node-side checks of what the app exports: unzip the encoder archive, load it with plain tfjs (CPU
 * backend), preprocess an image exactly as metadata.json says, and embed it.
 */
import * as tf from '@tensorflow/tfjs';
import { unzipSync } from 'fflate';
import { PNG } from 'pngjs';

export interface ExportMetadata {
  inputSize: [number, number, number];
  channelOrder: string;
  normalization: { scale: number; mean: number[]; std: number[] };
  representationDim?: number;
  [key: string]: unknown;
}

export interface EncoderArchive {
  names: string[];
  modelJson: {
    modelTopology: object;
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  };
  weights: Uint8Array;
  metadata: ExportMetadata;
}

export function unzipEncoder(zip: Uint8Array): EncoderArchive {
  const files = unzipSync(zip);
  const names = Object.keys(files);
  const get = (name: string): Uint8Array => {
    const bytes = files[name];
    if (!bytes) throw new Error(`${name} missing from the encoder archive (it holds: ${names.join(', ')})`);
    return bytes;
  };
  const text = (name: string) => JSON.parse(new TextDecoder().decode(get(name)));
  return { names, modelJson: text('model.json'), weights: get('weights.bin'), metadata: text('metadata.json') };
}

/** Decodes a PNG to [1, H, W, 3] floats normalized as ((byte * scale) - mean) / std per channel. */
export function preprocessPng(png: Uint8Array, normalization: ExportMetadata['normalization']): tf.Tensor4D {
  const image = PNG.sync.read(Buffer.from(png));
  const { width, height, data } = image;
  const out = new Float32Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < 3; c++) {
      out[p * 3 + c] = (data[p * 4 + c]! * normalization.scale - normalization.mean[c]!) / normalization.std[c]!;
    }
  }
  return tf.tensor4d(out, [1, height, width, 3]);
}

/** Loads the archive's LayersModel from memory and embeds `png`: the reference for the app's embedding. */
export async function embedInNode(archive: EncoderArchive, png: Uint8Array): Promise<Float32Array> {
  await tf.setBackend('cpu');
  const weightSpecs = archive.modelJson.weightsManifest.flatMap((group) => group.weights);
  const { weights } = archive;
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: archive.modelJson.modelTopology, weightSpecs, weightData }),
  );
  try {
    const input = preprocessPng(png, archive.metadata.normalization);
    const output = model.predict(input) as tf.Tensor;
    const values = (await output.data()) as Float32Array;
    tf.dispose([input, output]);
    return values;
  } finally {
    model.dispose();
  }
}

/** The vector in a downloaded embedding JSON: a bare array, or the `embedding` field. */
export function embeddingFromJson(json: unknown): number[] {
  const candidate = Array.isArray(json) ? json : (json as { embedding?: unknown } | null)?.embedding;
  if (!Array.isArray(candidate) || !candidate.every((v) => typeof v === 'number')) {
    throw new Error(`no numeric embedding array in ${JSON.stringify(json).slice(0, 200)}`);
  }
  return candidate;
}

export { maxAbsDiff } from '../../src/core/testing/max-abs-diff';
