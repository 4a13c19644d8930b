/**
 * Recognises an image file by its first bytes (never by its name alone) and reads its pixel size from
 * the header where that is cheap, so that a huge image can be decoded straight to a smaller size.
 */

export type SniffedFormat =
  | 'png'
  | 'jpeg'
  | 'gif'
  | 'webp'
  | 'bmp'
  | 'ico'
  | 'avif'
  | 'heic'
  | 'tiff'
  | 'svg'
  | 'text'
  | 'unknown';

/** Formats Chromium's createImageBitmap decodes. */
export const DECODABLE: ReadonlySet<SniffedFormat> = new Set(['png', 'jpeg', 'gif', 'webp', 'bmp', 'ico', 'avif']);

/** Why a recognised but undecodable format is skipped, as advice a person can act on. */
export const UNSUPPORTED_REASON: Partial<Record<SniffedFormat, string>> = {
  heic: 'HEIC/HEIF is not supported by browsers: convert it to JPEG or PNG',
  tiff: 'TIFF is not supported by browsers: convert it to PNG',
  svg: 'SVG (vector) images are not supported: export it as PNG',
};

export interface SniffResult {
  format: SniffedFormat;
  /** Pixel size from the header (before any EXIF rotation), when the format makes it cheap to read. */
  width?: number;
  height?: number;
  /** The file ends before the format's end marker (JPEG EOI, PNG IEND). */
  truncated?: boolean;
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}

function u32be(b: Uint8Array, i: number): number {
  return ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
}

function u16be(b: Uint8Array, i: number): number {
  return (b[i]! << 8) | b[i + 1]!;
}

function u16le(b: Uint8Array, i: number): number {
  return b[i]! | (b[i + 1]! << 8);
}

/** Size from the first SOFn segment of a JPEG; undefined when the segments run past the data. */
function jpegSize(b: Uint8Array): { width: number; height: number } | undefined {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    const length = u16be(b, i + 2);
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: u16be(b, i + 5), width: u16be(b, i + 7) };
    }
    i += 2 + length;
  }
  return undefined;
}

/** The last bytes of a JPEG hold EOI (FF D9), possibly followed by a little padding. */
function jpegTruncated(b: Uint8Array): boolean {
  for (let i = b.length - 2; i >= Math.max(0, b.length - 64); i--) {
    if (b[i] === 0xff && b[i + 1] === 0xd9) return false;
  }
  return true;
}

function pngTruncated(b: Uint8Array): boolean {
  return ascii(b, Math.max(0, b.length - 8), 4) !== 'IEND';
}

function looksLikeText(b: Uint8Array): boolean {
  const n = Math.min(b.length, 512);
  if (n === 0) return false;
  let printable = 0;
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if (c === 0) return false;
    if (c === 9 || c === 10 || c === 13 || c >= 32) printable++;
  }
  return printable / n > 0.95;
}

/** `bytes` is the whole file (the truncation checks look at its end). */
export function sniffFormat(bytes: Uint8Array): SniffResult {
  const b = bytes;
  if (b.length >= 24 && b[0] === 0x89 && ascii(b, 1, 3) === 'PNG') {
    return { format: 'png', width: u32be(b, 16), height: u32be(b, 20), truncated: pngTruncated(b) };
  }
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) {
    return { format: 'jpeg', ...jpegSize(b), truncated: jpegTruncated(b) };
  }
  if (b.length >= 10 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a')) {
    return { format: 'gif', width: u16le(b, 6), height: u16le(b, 8) };
  }
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return { format: 'webp' };
  if (b.length >= 26 && ascii(b, 0, 2) === 'BM') {
    const width = Math.abs(new DataView(b.buffer, b.byteOffset + 18, 8).getInt32(0, true));
    const height = Math.abs(new DataView(b.buffer, b.byteOffset + 22, 4).getInt32(0, true));
    return { format: 'bmp', width, height };
  }
  if (b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 1 && b[3] === 0) return { format: 'ico' };
  if (b.length >= 12 && ascii(b, 4, 4) === 'ftyp') {
    const brand = ascii(b, 8, 4);
    if (brand === 'avif' || brand === 'avis') return { format: 'avif' };
    if (['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) return { format: 'heic' };
  }
  if (b.length >= 4 && (ascii(b, 0, 4) === 'II*\0' || ascii(b, 0, 4) === 'MM\0*')) return { format: 'tiff' };
  if (looksLikeText(b)) {
    const head = new TextDecoder().decode(b.subarray(0, 4096)).trimStart().toLowerCase();
    if (
      head.startsWith('<svg') ||
      ((head.startsWith('<?xml') || head.startsWith('<!doctype svg')) && head.includes('<svg'))
    )
      return { format: 'svg' };
    return { format: 'text' };
  }
  return { format: 'unknown' };
}

/**
 * Width for createImageBitmap's `resizeWidth` so the shorter side lands near `targetShortSide`, or
 * undefined when the image is small enough to decode at full size. Only the width is given to the
 * decoder, so the aspect ratio is kept even when EXIF orientation swaps the sides.
 */
export function decodeWidthFor(
  width: number | undefined,
  height: number | undefined,
  targetShortSide: number,
): number | undefined {
  if (!width || !height) return undefined;
  const shortSide = Math.min(width, height);
  if (shortSide <= targetShortSide * 2) return undefined;
  return Math.max(1, Math.round((width * targetShortSide) / shortSide));
}
