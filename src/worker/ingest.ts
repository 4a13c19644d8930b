import { decodeImageFile, SkippedFileError } from '../core/data/decode-image';
import type { ImageStore } from '../core/data/image-store';
import type { InputFile, SkippedFile, WorkerEvent } from '../protocol/messages';

export type Emit = (event: WorkerEvent, transfer?: Transferable[]) => void;

export const THUMBNAIL_SIZE = 32;
/** Files decoded concurrently: createImageBitmap decodes off the worker's thread. */
const DECODE_CONCURRENCY = 4;
const THUMBNAILS_PER_EVENT = 64;

export interface IngestResult {
  added: number;
  skipped: SkippedFile[];
  cancelled: boolean;
}

/**
 * Decodes files into the store in their given order, reporting progress, thumbnails and every
 * skipped file with its reason. A failing file never stops the others.
 */
export async function ingestFiles(
  requestId: number,
  files: InputFile[],
  store: ImageStore,
  emit: Emit,
  isCancelled: () => boolean,
): Promise<IngestResult> {
  const skipped: SkippedFile[] = [];
  let added = 0;
  let thumbs: Uint8ClampedArray[] = [];
  let thumbPaths: string[] = [];
  let thumbStart = store.length;
  const flushThumbnails = () => {
    if (thumbs.length === 0) return;
    const pixels = new Uint8ClampedArray(thumbs.length * THUMBNAIL_SIZE * THUMBNAIL_SIZE * 4);
    thumbs.forEach((t, i) => {
      pixels.set(t, i * t.length);
    });
    emit(
      {
        type: 'thumbnails',
        startIndex: thumbStart,
        count: thumbs.length,
        size: THUMBNAIL_SIZE,
        pixels,
        paths: thumbPaths,
      },
      [pixels.buffer],
    );
    thumbs = [];
    thumbPaths = [];
    thumbStart = store.length;
  };

  let processed = 0;
  for (let start = 0; start < files.length; start += DECODE_CONCURRENCY) {
    if (isCancelled()) break;
    const chunk = files.slice(start, start + DECODE_CONCURRENCY);
    const results = await Promise.allSettled(
      chunk.map((input) => decodeImageFile(input.file, input.path || input.file.name, store.size, THUMBNAIL_SIZE)),
    );
    results.forEach((result, i) => {
      const input = chunk[i]!;
      const path = input.path || input.file.name;
      if (result.status === 'fulfilled') {
        store.add(result.value.rgb, path);
        thumbs.push(result.value.thumbnail);
        thumbPaths.push(path);
        added += 1;
      } else {
        const error = result.reason;
        const reason =
          error instanceof SkippedFileError
            ? error.message
            : `failed: ${error instanceof Error ? error.message : String(error)}`;
        skipped.push({ path, reason });
      }
    });
    processed += chunk.length;
    if (thumbs.length >= THUMBNAILS_PER_EVENT) flushThumbnails();
    emit({
      type: 'ingestProgress',
      requestId,
      processed,
      total: files.length,
      accepted: added,
      skipped: skipped.length,
    });
  }
  flushThumbnails();
  return { added, skipped, cancelled: isCancelled() };
}
