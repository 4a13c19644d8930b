import * as tf from '@tensorflow/tfjs';
import { RowGatherer } from './gather-rows-program';
import type { ImageStore } from './image-store';

/**
 * The data set resident on the GPU as uint8: tfjs has no uint8 dtype, so each image's S x S x 3 bytes
 * are packed four to an int32 word (little-endian, the image padded to whole words) and the WGSL
 * kernel unpacks them with shifts. Images are held in chunks no larger than one storage binding; at
 * most `residentChunks` chunks live on the GPU and the least recently used is paged out when a batch
 * needs another. A data set within the budget is uploaded once and never again.
 */

/** A batch's packed images on the GPU: image i of the batch is row rows[i] of `images`. */
export interface PackedBatch {
  images: tf.Tensor2D;
  rows: Int32Array;
  /** True when `images` was made for this batch and must be disposed by the caller. */
  owned: boolean;
}

export interface GpuBudget {
  /** Largest chunk in bytes (one storage-buffer binding). */
  chunkBytes: number;
  /** Chunks kept on the GPU at once. */
  residentChunks: number;
}

export interface AdapterLimits {
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
}

/**
 * Budget from the adapter's limits: a chunk is a quarter of the largest bindable buffer
 * (min(maxStorageBufferBindingSize, maxBufferSize)), and four chunks may be resident, so the data set
 * takes at most one max-size buffer's worth of GPU memory and a batch spanning chunks never thrashes.
 */
export function budgetFromLimits(limits: AdapterLimits): GpuBudget {
  const bindable = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  return { chunkBytes: Math.floor(bindable / 4), residentChunks: 4 };
}

/** int32 words per packed image of side `size`. */
export function packedWords(size: number): number {
  return Math.ceil((size * size * 3) / 4);
}

/** Packs images [start, start + count) of the store into int32 words, one row of packedWords per image. */
export function packImages(store: ImageStore, start: number, count: number): Int32Array {
  const words = packedWords(store.size);
  const packed = new Int32Array(count * words);
  const bytes = new Uint8Array(packed.buffer);
  for (let i = 0; i < count; i++) bytes.set(store.image(start + i), i * words * 4);
  return packed;
}

export class GpuImageSet {
  readonly words: number;
  readonly imagesPerChunk: number;
  private readonly chunks: (tf.Tensor2D | null)[];
  /** Chunk ids, most recently used last. */
  private readonly recent: number[] = [];
  /** How many chunk uploads happened (the first upload of each chunk included). */
  uploads = 0;

  constructor(
    private readonly store: ImageStore,
    readonly budget: GpuBudget,
  ) {
    this.words = packedWords(store.size);
    const imageBytes = this.words * 4;
    if (imageBytes > budget.chunkBytes) {
      throw new Error(
        `One ${store.size} px image (${imageBytes} bytes) exceeds this GPU's buffer limit (${budget.chunkBytes} bytes): store images at a smaller size.`,
      );
    }
    this.imagesPerChunk = Math.max(1, Math.floor(budget.chunkBytes / imageBytes));
    this.chunks = Array.from({ length: Math.ceil(store.length / this.imagesPerChunk) }, () => null);
  }

  get chunkCount(): number {
    return this.chunks.length;
  }

  get residentCount(): number {
    return this.chunks.filter((c) => c !== null).length;
  }

  /** Uploads every chunk that fits in the budget now, so training steps find them resident. */
  warm(): void {
    for (let c = 0; c < Math.min(this.chunks.length, this.budget.residentChunks); c++) this.chunk(c);
  }

  private chunk(id: number): tf.Tensor2D {
    const existing = this.chunks[id];
    const at = this.recent.indexOf(id);
    if (at >= 0) this.recent.splice(at, 1);
    this.recent.push(id);
    if (existing) return existing;
    while (this.residentCount >= this.budget.residentChunks) {
      const evict = this.recent.shift();
      if (evict === undefined) break;
      this.chunks[evict]?.dispose();
      this.chunks[evict] = null;
    }
    const start = id * this.imagesPerChunk;
    const count = Math.min(this.imagesPerChunk, this.store.length - start);
    // CPU-to-GPU upload: once per chunk while the data set fits the budget, on a page miss otherwise.
    // kept: gather() calls this inside tf.tidy, which must not dispose the resident chunk
    const tensor = tf.keep(tf.tensor2d(packImages(this.store, start, count), [count, this.words], 'int32'));
    this.chunks[id] = tensor;
    this.uploads += 1;
    return tensor;
  }

  /**
   * The packed images of a batch, all on the GPU. When the batch lies in one chunk (every data set
   * within one chunk's budget) the chunk itself is returned with each image's row in it: nothing is
   * copied. Otherwise the rows are copied bit for bit into a new [B, words] tensor.
   */
  batch(indices: ArrayLike<number>): PackedBatch {
    const byChunk = new Map<number, { positions: number[]; local: number[] }>();
    for (let i = 0; i < indices.length; i++) {
      const index = indices[i]!;
      if (!(index >= 0 && index < this.store.length)) throw new RangeError(`image ${index} out of range`);
      const id = Math.floor(index / this.imagesPerChunk);
      const group = byChunk.get(id) ?? { positions: [], local: [] };
      group.positions.push(i);
      group.local.push(index - id * this.imagesPerChunk);
      byChunk.set(id, group);
    }
    const groups = [...byChunk.entries()];
    if (groups.length === 1) {
      const [id, group] = groups[0]!;
      return { images: this.chunk(id), rows: Int32Array.from(group.local), owned: false };
    }
    const rows = Int32Array.from({ length: indices.length }, (_, i) => i);
    if (tf.getBackend() === 'webgpu') {
      // one chunk at a time: paging the next one in may evict this one, after its copy is recorded
      const gatherer = new RowGatherer(indices.length, this.words);
      for (const [id, group] of groups) {
        gatherer.copy(this.chunk(id), Int32Array.from(group.local), Int32Array.from(group.positions));
      }
      return { images: gatherer.finish(), rows, owned: true };
    }
    // Other backends keep int32 exactly (CPU, wasm): tf.gather + concat, then back into batch order.
    const images = tf.tidy(() => {
      // eager: each gather runs before the next chunk is paged in (and may evict this one)
      const parts = groups.map(([id, group]) => tf.gather(this.chunk(id), tf.tensor1d(group.local, 'int32')));
      const order = groups.flatMap(([, group]) => group.positions);
      const inverse = new Int32Array(order.length);
      order.forEach((position, row) => {
        inverse[position] = row;
      });
      return tf.gather(tf.concat(parts), tf.tensor1d(inverse, 'int32')) as tf.Tensor2D;
    });
    return { images, rows, owned: true };
  }

  dispose(): void {
    for (const c of this.chunks) c?.dispose();
    this.chunks.fill(null);
    this.recent.length = 0;
  }
}
