/** The working-size data set to and from its stored form, and thumbnails for the grid rebuilt from it. */
import { ImageStore } from '../../core/data/image-store';
import type { Emit } from '../ingest';
import type { StoredDataset } from './run-db';

export function datasetToStore(store: ImageStore): StoredDataset {
  const pixels = new Uint8Array(store.length * store.imageBytes);
  for (let i = 0; i < store.length; i++) pixels.set(store.image(i), i * store.imageBytes);
  return { size: store.size, count: store.length, pixels, paths: [...store.paths] };
}

export function storeFromDataset(dataset: StoredDataset): ImageStore {
  const store = new ImageStore(dataset.size, Math.max(1, dataset.count));
  const bytes = dataset.size * dataset.size * 3;
  if (dataset.pixels.length !== dataset.count * bytes || dataset.paths.length !== dataset.count) {
    throw new Error('The stored data set is damaged (its size does not match its image count).');
  }
  for (let i = 0; i < dataset.count; i++) {
    store.add(dataset.pixels.subarray(i * bytes, (i + 1) * bytes), dataset.paths[i]!);
  }
  return store;
}

/** size x size RGBA thumbnail of a stored image (box filter), as the ingest sends them. */
export function thumbnailFromRgb(rgb: Uint8Array, size: number, thumb: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(thumb * thumb * 4);
  for (let y = 0; y < thumb; y++) {
    const y0 = Math.floor((y * size) / thumb);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * size) / thumb));
    for (let x = 0; x < thumb; x++) {
      const x0 = Math.floor((x * size) / thumb);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * size) / thumb));
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) sum += rgb[(yy * size + xx) * 3 + c]!;
        out[(y * thumb + x) * 4 + c] = Math.round(sum / ((y1 - y0) * (x1 - x0)));
      }
      out[(y * thumb + x) * 4 + 3] = 255;
    }
  }
  return out;
}

/** Sends the restored images to the UI as a load would: cleared, thumbnails, done. */
export function announceRestoredImages(store: ImageStore, emit: Emit, thumbSize: number, maxThumbnails: number): void {
  emit({ type: 'imagesCleared' });
  const shown = Math.min(store.length, maxThumbnails);
  const chunk = 256;
  for (let start = 0; start < shown; start += chunk) {
    const count = Math.min(chunk, shown - start);
    const pixels = new Uint8ClampedArray(count * thumbSize * thumbSize * 4);
    for (let i = 0; i < count; i++) {
      pixels.set(thumbnailFromRgb(store.image(start + i), store.size, thumbSize), i * thumbSize * thumbSize * 4);
    }
    emit(
      {
        type: 'thumbnails',
        startIndex: start,
        count,
        size: thumbSize,
        pixels,
        paths: store.paths.slice(start, start + count),
      },
      [pixels.buffer],
    );
  }
  emit({
    type: 'ingestDone',
    requestId: -1,
    imageCount: store.length,
    added: store.length,
    skipped: [],
    cancelled: false,
  });
}
