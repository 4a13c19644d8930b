import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { budgetFromLimits, GpuImageSet, packedWords, packImages } from './gpu-image-set';
import { ImageStore } from './image-store';

function storeOf(count: number, size: number): ImageStore {
  const store = new ImageStore(size);
  for (let i = 0; i < count; i++) {
    store.add(
      Uint8Array.from({ length: size * size * 3 }, (_, k) => (i * 37 + k * 11 + 200) % 256),
      `img${i}`,
    );
  }
  return store;
}

/** Unpacks row r of a [B, words] int32 batch back to the image's bytes. */
function unpack(values: Int32Array, row: number, size: number): Uint8Array {
  const words = packedWords(size);
  return new Uint8Array(values.buffer, row * words * 4, size * size * 3).slice();
}

describe('GpuImageSet (packed uint8 data set, paged within a budget)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('derives the budget from the adapter limits', () => {
    const budget = budgetFromLimits({ maxStorageBufferBindingSize: 128 << 20, maxBufferSize: 256 << 20 });
    expect(budget.chunkBytes).toBe(32 << 20);
    expect(budget.chunkBytes * budget.residentChunks).toBe(128 << 20);
  });

  it('packs four bytes per int32 word, each image padded to whole words (odd sizes)', () => {
    const store = storeOf(3, 5);
    expect(packedWords(5)).toBe(19);
    const packed = packImages(store, 1, 2);
    expect(packed.length).toBe(38);
    expect(unpack(packed, 0, 5)).toEqual(store.image(1));
    expect(unpack(packed, 1, 5)).toEqual(store.image(2));
  });

  it('returns the one resident chunk and row numbers without copying when a batch fits in it', () => {
    const store = storeOf(6, 4);
    const set = new GpuImageSet(store, { chunkBytes: 1 << 20, residentChunks: 2 });
    const batch = set.batch([5, 0, 3]);
    expect(batch.owned).toBe(false);
    const values = batch.images.dataSync() as Int32Array;
    expect(Array.from(batch.rows)).toEqual([5, 0, 3]);
    for (const [i, index] of [5, 0, 3].entries()) expect(unpack(values, batch.rows[i]!, 4)).toEqual(store.image(index));
    set.dispose();
  });

  it('pages chunks in and out within the budget and keeps batch order across chunks', () => {
    const size = 4;
    const store = storeOf(10, size);
    const imageBytes = packedWords(size) * 4;
    const set = new GpuImageSet(store, { chunkBytes: 3 * imageBytes, residentChunks: 2 });
    expect(set.imagesPerChunk).toBe(3);
    expect(set.chunkCount).toBe(4);
    const before = tf.memory().numTensors;
    const indices = [9, 1, 4, 0, 7];
    const batch = set.batch(indices);
    expect(batch.owned).toBe(true);
    expect(set.residentCount).toBeLessThanOrEqual(2);
    const values = batch.images.dataSync() as Int32Array;
    for (const [i, index] of indices.entries())
      expect(unpack(values, batch.rows[i]!, size)).toEqual(store.image(index));
    batch.images.dispose();
    expect(set.uploads).toBe(4);
    // the resident chunks never exceed the budget: only the chunk tensors outlive a batch
    expect(tf.memory().numTensors - before).toBe(set.residentCount);
    set.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses an image larger than a chunk with a message naming the size', () => {
    expect(() => new GpuImageSet(storeOf(1, 8), { chunkBytes: 64, residentChunks: 1 })).toThrow(/8 px image/);
  });
});
