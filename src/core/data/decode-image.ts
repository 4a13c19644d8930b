/**
 * Decodes an image file in a worker (createImageBitmap + OffscreenCanvas): EXIF orientation honoured,
 * centre-cropped to a square, resized to `size`, alpha composited over white, returned as RGB bytes.
 */

export class SkippedFileError extends Error {
  override name = 'SkippedFileError';
}

const UNSUPPORTED: Record<string, string> = {
  'image/heic': 'HEIC is not supported by browsers: convert it to JPEG or PNG',
  'image/heif': 'HEIF is not supported by browsers: convert it to JPEG or PNG',
  'image/tiff': 'TIFF is not supported by browsers: convert it to PNG',
  'image/svg+xml': 'SVG (vector) images are not supported: export it as PNG',
};

const EXTENSION_TYPES: Record<string, string> = {
  heic: 'image/heic',
  heif: 'image/heif',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  svg: 'image/svg+xml',
};

function effectiveType(file: Blob, name: string): string {
  if (file.type) return file.type;
  const extension = name.split('.').pop()?.toLowerCase() ?? '';
  return EXTENSION_TYPES[extension] ?? '';
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

/** Throws SkippedFileError with a reason a person can act on when the file is not a usable image. */
export async function decodeImageFile(
  file: Blob,
  name: string,
  size: number,
  thumbSize: number,
): Promise<DecodedImage> {
  if (file.size === 0) throw new SkippedFileError('empty file (0 bytes)');
  const type = effectiveType(file, name);
  const unsupported = UNSUPPORTED[type];
  if (unsupported) throw new SkippedFileError(unsupported);
  if (type && !type.startsWith('image/')) throw new SkippedFileError(`not an image (${type})`);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, {
      imageOrientation: 'from-image',
      premultiplyAlpha: 'none',
      colorSpaceConversion: 'none',
    });
  } catch {
    throw new SkippedFileError('could not be decoded: the file is corrupt or not an image format this browser reads');
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
