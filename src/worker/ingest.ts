import { decodeImageFile, SkippedFileError } from '../core/data/decode-image';
import type { ImageStore } from '../core/data/image-store';
import type { InputFile, SkippedFile, WorkerEvent } from '../protocol/messages';
import { contentKey } from './content-key';
import type { IncomingFiles } from './incoming-files';

export type Emit = (event: WorkerEvent, transfer?: Transferable[]) => void;

export const THUMBNAIL_SIZE = 32;
/**
 * Thumbnails are kept for the first this-many images of a data set only: the main thread holds them as
 * 32 x 32 RGBA (4 KiB each), so 10,000 cost 40 MiB and 50,000 would cost 200 MiB. Training uses every image.
 */
export const MAX_THUMBNAILS = 10_000;
/** Files decoded concurrently: createImageBitmap decodes off the worker's thread. */
const DECODE_CONCURRENCY = 8;
const THUMBNAILS_PER_EVENT = 256;
/** Progress events are at most this often, so 50,000 files do not flood the UI thread. */
const PROGRESS_INTERVAL_MS = 100;

export interface IngestResult {
  added: number;
  skipped: SkippedFile[];
  cancelled: boolean;
}

/** Content key -> path of the first file with that content, per store (duplicates are counted once). */
const seenByStore = new WeakMap<ImageStore, Map<string, string>>();

function seenContents(store: ImageStore): Map<string, string> {
  let seen = seenByStore.get(store);
  if (!seen) {
    seen = new Map();
    seenByStore.set(store, seen);
  }
  return seen;
}

interface Decoded {
  key: string;
  rgb: Uint8Array;
  thumbnail: Uint8ClampedArray;
}

async function decodeOne(input: InputFile, path: string, size: number, thumbSize: number): Promise<Decoded> {
  if (input.file.size === 0) throw new SkippedFileError('empty file (0 bytes)');
  const bytes = new Uint8Array(await input.file.arrayBuffer());
  const key = await contentKey(bytes);
  const { rgb, thumbnail } = await decodeImageFile(input.file, path, size, thumbSize, bytes);
  return { key, rgb, thumbnail };
}

function skipReason(error: unknown): string {
  if (error instanceof SkippedFileError) return error.message;
  return `failed: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * Decodes files into the store in their given order, reporting progress, thumbnails and every
 * skipped file with its reason. A failing file never stops the others; a file whose contents equal
 * an image already in the store is skipped as a duplicate, naming the first one.
 */
export async function ingestFiles(
  requestId: number,
  source: IncomingFiles,
  store: ImageStore,
  emit: Emit,
  isCancelled: () => boolean,
): Promise<IngestResult> {
  const seen = seenContents(store);
  const skipped: SkippedFile[] = [];
  let added = 0;
  let thumbs: Uint8ClampedArray[] = [];
  let thumbPaths: string[] = [];
  let thumbStart = store.length;
  const flushThumbnails = () => {
    if (thumbs.length > 0) {
      const pixels = new Uint8ClampedArray(thumbs.length * THUMBNAIL_SIZE * THUMBNAIL_SIZE * 4);
      thumbs.forEach((t, i) => {
        pixels.set(t, i * t.length);
      });
      const event: WorkerEvent = {
        type: 'thumbnails',
        startIndex: thumbStart,
        count: thumbs.length,
        size: THUMBNAIL_SIZE,
        pixels,
        paths: thumbPaths,
      };
      emit(event, [pixels.buffer]);
    }
    thumbs = [];
    thumbPaths = [];
    thumbStart = store.length;
  };

  let processed = 0;
  let lastProgress = 0;
  const progress = (force: boolean) => {
    const now = performance.now();
    if (!force && now - lastProgress < PROGRESS_INTERVAL_MS) return;
    lastProgress = now;
    emit({
      type: 'ingestProgress',
      requestId,
      processed,
      total: source.expected,
      accepted: added,
      skipped: skipped.length,
    });
  };

  let start = 0;
  for (;;) {
    if (isCancelled()) break;
    if (start >= source.files.length) {
      if (source.complete) break;
      flushThumbnails();
      progress(true);
      await source.waitForMore();
      continue;
    }
    const chunk = source.files.slice(start, start + DECODE_CONCURRENCY);
    start += chunk.length;
    const thumbSize = store.length + chunk.length <= MAX_THUMBNAILS ? THUMBNAIL_SIZE : 0;
    const results = await Promise.allSettled(
      chunk.map((input) => decodeOne(input, input.path || input.file.name, store.size, thumbSize)),
    );
    results.forEach((result, i) => {
      const input = chunk[i]!;
      const path = input.path || input.file.name;
      if (result.status === 'rejected') {
        skipped.push({ path, reason: skipReason(result.reason) });
        return;
      }
      const first = seen.get(result.value.key);
      if (first !== undefined) {
        skipped.push({ path, reason: `duplicate: same content as ${first} (counted once)` });
        return;
      }
      seen.set(result.value.key, path);
      if (result.value.thumbnail.length > 0) {
        if (thumbs.length === 0) thumbStart = store.length;
        thumbs.push(result.value.thumbnail);
        thumbPaths.push(path);
      }
      store.add(result.value.rgb, path);
      added += 1;
    });
    processed += chunk.length;
    if (thumbs.length >= THUMBNAILS_PER_EVENT || (thumbs.length > 0 && thumbSize === 0)) flushThumbnails();
    progress(false);
  }
  flushThumbnails();
  progress(true);
  return { added, skipped, cancelled: isCancelled() };
}
