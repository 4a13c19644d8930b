/**
 * Thumbnails of the dataset, outside the React store: RGBA size x size each, in one growable buffer.
 * Filled from 'thumbnails' events (each carries its dataset start index), emptied on 'imagesCleared'.
 */
import type { WorkerEvent } from '../protocol/messages';
import { ChangeNotifier } from './change-source';

export type ThumbnailsEvent = Extract<WorkerEvent, { type: 'thumbnails' }>;

export class ThumbnailStore extends ChangeNotifier {
  #size = 0;
  #count = 0;
  #capacity = 0;
  #pixels = new Uint8ClampedArray(0);
  #paths: string[] = [];

  /** Side of each thumbnail in pixels (0 before the first arrives). */
  get size(): number {
    return this.#size;
  }

  /** Number of thumbnail slots (the highest index received + 1). */
  get count(): number {
    return this.#count;
  }

  add(event: ThumbnailsEvent): void {
    const { startIndex, count, size, pixels, paths } = event;
    if (count <= 0) return;
    if (this.#size !== size) {
      // Thumbnails of another size mean a new dataset layout: start over.
      this.#reset();
      this.#size = size;
    }
    const end = startIndex + count;
    this.#ensureCapacity(end);
    const bytes = size * size * 4;
    this.#pixels.set(pixels.subarray(0, count * bytes), startIndex * bytes);
    for (let i = 0; i < count; i++) this.#paths[startIndex + i] = paths[i] ?? '';
    this.#count = Math.max(this.#count, end);
    this.changed();
  }

  clear(): void {
    this.#reset();
    this.changed();
  }

  /** RGBA pixels of thumbnail `index` (a view, not a copy), or null when not received. */
  pixelsAt(index: number): Uint8ClampedArray | null {
    if (index < 0 || index >= this.#count || this.#paths[index] === undefined) return null;
    const bytes = this.#size * this.#size * 4;
    return this.#pixels.subarray(index * bytes, (index + 1) * bytes);
  }

  pathAt(index: number): string {
    return this.#paths[index] ?? '';
  }

  #ensureCapacity(slots: number): void {
    if (slots <= this.#capacity) return;
    const capacity = Math.max(slots, this.#capacity * 2, 256);
    const grown = new Uint8ClampedArray(capacity * this.#size * this.#size * 4);
    grown.set(this.#pixels);
    this.#pixels = grown;
    this.#capacity = capacity;
  }

  #reset(): void {
    this.#size = 0;
    this.#count = 0;
    this.#capacity = 0;
    this.#pixels = new Uint8ClampedArray(0);
    this.#paths = [];
  }
}

/** The app's thumbnails. */
export const thumbnails = new ThumbnailStore();
