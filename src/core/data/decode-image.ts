/**
 * Decodes an image file in a worker (createImageBitmap + OffscreenCanvas): EXIF orientation honoured,
 * centre-cropped to a square, resized to `size`, alpha composited over white, returned as RGB bytes.
 */

import {
  DECODABLE,
  decodeWidthFor,
  type SniffedFormat,
  type SniffResult,
  sniffFormat,
  UNSUPPORTED_REASON,
} from './sniff-format';

export class SkippedFileError extends Error {
  override name = 'SkippedFileError';
}

/** Unsupported formats recognised by name when the contents say nothing clearer. */
const UNSUPPORTED_EXTENSIONS: Record<string, SniffedFormat> = {
  heic: 'heic',
  heif: 'heic',
  tif: 'tiff',
  tiff: 'tiff',
  svg: 'svg',
};

const IMAGE_EXTENSIONS = /\.(png|jpe?g|gif|webp|bmp|ico|avif)$/i;

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/** Why the file cannot be decoded, or null when createImageBitmap should be tried. */
function rejection(sniffed: SniffResult, name: string): string | null {
  const byName = UNSUPPORTED_EXTENSIONS[extensionOf(name)];
  const unsupported =
    UNSUPPORTED_REASON[sniffed.format] ??
    (byName && !DECODABLE.has(sniffed.format) ? UNSUPPORTED_REASON[byName] : undefined);
  if (unsupported) return unsupported;
  if (sniffed.format === 'text')
    return IMAGE_EXTENSIONS.test(name)
      ? 'not an image: the file holds text despite its image name'
      : 'not an image (text file)';
  if (!DECODABLE.has(sniffed.format)) return 'not an image format this browser reads';
  if (sniffed.truncated)
    return `truncated ${sniffed.format.toUpperCase()}: the file ends before its image data does (an incomplete copy or download?)`;
  return null;
}
export interface DecodedImage {
  /** size x size x 3 RGB bytes. */
  rgb: Uint8Array;
  /** thumbSize x thumbSize x 4 RGBA bytes for the UI grid; empty when thumbSize is 0. */
  thumbnail: Uint8ClampedArray;
}

const canvases = new Map<number, OffscreenCanvasRenderingContext2D>();

function contextOfSize(size: number): OffscreenCanvasRenderingContext2D {
  let context = canvases.get(size);
  if (!context) {
    const created = new OffscreenCanvas(size, size).getContext('2d', { willReadFrequently: true });
    if (!created) throw new Error('OffscreenCanvas 2D is not available in this worker');
    created.imageSmoothingEnabled = true;
    created.imageSmoothingQuality = 'high';
    context = created;
    canvases.set(size, context);
  }
  return context;
}

function drawSquare(bitmap: ImageBitmap, size: number): Uint8ClampedArray {
  const context = contextOfSize(size);
  const side = Math.min(bitmap.width, bitmap.height);
  const sx = Math.floor((bitmap.width - side) / 2);
  const sy = Math.floor((bitmap.height - side) / 2);
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, size, size);
  context.drawImage(bitmap, sx, sy, side, side, 0, 0, size, size);
  return context.getImageData(0, 0, size, size).data;
}

export function rgbaToRgb(rgba: Uint8ClampedArray): Uint8Array {
  const pixels = rgba.length / 4;
  const rgb = new Uint8Array(pixels * 3);
  for (let p = 0; p < pixels; p++) {
    rgb[p * 3] = rgba[p * 4]!;
    rgb[p * 3 + 1] = rgba[p * 4 + 1]!;
    rgb[p * 3 + 2] = rgba[p * 4 + 2]!;
  }
  return rgb;
}

/**
 * Throws SkippedFileError with a reason a person can act on when the file is not a usable image.
 * `bytes` are the file's contents when the caller has read them already (ingestion hashes them).
 */
export async function decodeImageFile(
  file: Blob,
  name: string,
  size: number,
  thumbSize: number,
  bytes?: Uint8Array,
): Promise<DecodedImage> {
  if (file.size === 0) throw new SkippedFileError('empty file (0 bytes)');
  const contents = bytes ?? new Uint8Array(await file.arrayBuffer());
  const sniffed = sniffFormat(contents);
  const reason = rejection(sniffed, name);
  if (reason) throw new SkippedFileError(reason);
  // A huge image (10000 x 10000) is decoded straight to a smaller size: no full-size canvas is drawn.
  const resizeWidth = decodeWidthFor(sniffed.width, sniffed.height, Math.max(size, thumbSize));
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, {
      imageOrientation: 'from-image',
      premultiplyAlpha: 'none',
      colorSpaceConversion: 'none',
      ...(resizeWidth ? { resizeWidth, resizeQuality: 'high' as const } : {}),
    });
  } catch {
    throw new SkippedFileError(
      `could not be decoded: the ${sniffed.format.toUpperCase()} data is corrupt or uses a variant this browser does not read`,
    );
  }
  try {
    if (bitmap.width === 0 || bitmap.height === 0) throw new SkippedFileError('image has no pixels');
    const rgb = rgbaToRgb(drawSquare(bitmap, size));
    const thumbnail = thumbSize > 0 ? new Uint8ClampedArray(drawSquare(bitmap, thumbSize)) : new Uint8ClampedArray(0);
    return { rgb, thumbnail };
  } finally {
    bitmap.close();
  }
}
