import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** Debian's dataset-fashion-mnist (MIT): gzipped IDX files. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

export interface LabelledImages {
  /** count x side x side x 3 RGB bytes (the grayscale value repeated, as the browser decodes it). */
  rgb: Uint8Array;
  labels: Int32Array;
  count: number;
  side: number;
}

function readIdx(name: string): { dims: number[]; data: Uint8Array } {
  const bytes = gunzipSync(readFileSync(`${FASHION_MNIST_DIR}/${name}`));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rank = view.getUint8(3);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  return { dims, data: bytes.subarray(4 + 4 * rank) };
}

/** The first `count` images of a split ('train' or 't10k'). */
export function loadFashionMnist(split: 'train' | 't10k', count: number): LabelledImages {
  const images = readIdx(`${split}-images-idx3-ubyte.gz`);
  const labels = readIdx(`${split}-labels-idx1-ubyte.gz`);
  const side = images.dims[1]!;
  const n = Math.min(count, images.dims[0]!);
  const rgb = new Uint8Array(n * side * side * 3);
  for (let p = 0; p < n * side * side; p++) {
    const v = images.data[p]!;
    rgb[3 * p] = v;
    rgb[3 * p + 1] = v;
    rgb[3 * p + 2] = v;
  }
  return { rgb, labels: Int32Array.from(labels.data.subarray(0, n)), count: n, side };
}
