import { describe, expect, it } from 'vitest';
import { decodeWidthFor, sniffFormat } from './sniff-format';

const text = (s: string) => new TextEncoder().encode(s);

/** Signature, IHDR with the size, an empty IDAT and IEND (CRCs zeroed: the sniffer does not check them). */
function png(width: number, height: number): Uint8Array {
  const bytes = new Uint8Array(8 + 25 + 12 + 12);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(bytes.buffer);
  view.setUint32(8, 13);
  bytes.set(text('IHDR'), 12);
  view.setUint32(16, width);
  view.setUint32(20, height);
  bytes.set([8, 2, 0, 0, 0], 24);
  bytes.set(text('IDAT'), 37);
  bytes.set(text('IEND'), 49);
  return bytes;
}

/** A minimal baseline JPEG header: SOI, an APP0 segment, SOF0 with the size, EOI. */
function jpeg(width: number, height: number, withEoi = true): Uint8Array {
  const app0 = [0xff, 0xe0, 0x00, 0x10, ...Array.from('JFIF\0', (c) => c.charCodeAt(0)), 1, 1, 0, 0, 1, 0, 1, 0, 0];
  const sof0 = [0xff, 0xc0, 0x00, 0x11, 8, height >> 8, height & 255, width >> 8, width & 255, 3];
  const components = [1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
  const eoi = withEoi ? [0xff, 0xd9] : [0x12, 0x34];
  return new Uint8Array([0xff, 0xd8, ...app0, ...sof0, ...components, ...eoi]);
}

describe('sniffFormat', () => {
  it('reads PNG size and notices a missing IEND', () => {
    const bytes = png(7, 3);
    expect(sniffFormat(bytes)).toEqual({ format: 'png', width: 7, height: 3, truncated: false });
    expect(sniffFormat(bytes.subarray(0, bytes.length - 20)).truncated).toBe(true);
  });

  it('reads JPEG size from SOF0 and notices a missing EOI', () => {
    expect(sniffFormat(jpeg(640, 480))).toEqual({ format: 'jpeg', width: 640, height: 480, truncated: false });
    expect(sniffFormat(jpeg(640, 480, false)).truncated).toBe(true);
  });

  it('recognises GIF, BMP, WebP, HEIC, AVIF, TIFF, SVG and text by content', () => {
    const gif = new Uint8Array([...text('GIF89a'), 5, 0, 9, 0, 0, 0, 0]);
    expect(sniffFormat(gif)).toMatchObject({ format: 'gif', width: 5, height: 9 });
    const bmp = new Uint8Array(54);
    bmp.set(text('BM'));
    new DataView(bmp.buffer).setInt32(18, 12, true);
    new DataView(bmp.buffer).setInt32(22, -4, true); // top-down rows
    expect(sniffFormat(bmp)).toMatchObject({ format: 'bmp', width: 12, height: 4 });
    expect(sniffFormat(new Uint8Array([...text('RIFF'), 0, 0, 0, 0, ...text('WEBPVP8 ')])).format).toBe('webp');
    expect(sniffFormat(new Uint8Array([0, 0, 0, 24, ...text('ftypheic'), 0, 0, 0, 0])).format).toBe('heic');
    expect(sniffFormat(new Uint8Array([0, 0, 0, 24, ...text('ftypavif'), 0, 0, 0, 0])).format).toBe('avif');
    expect(sniffFormat(new Uint8Array([...text('II*\0'), 8, 0, 0, 0])).format).toBe('tiff');
    expect(sniffFormat(text('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>')).format).toBe('svg');
    expect(sniffFormat(text('not really a PNG, just text\n')).format).toBe('text');
    expect(sniffFormat(new Uint8Array([1, 2, 0, 4, 5])).format).toBe('unknown');
  });

  it('calls binary data with NUL bytes neither text nor an image', () => {
    // zlib's deflate of 1000 zero bytes.
    const deflated = new Uint8Array([
      0x78, 0x9c, 0x63, 0x60, 0x18, 0x05, 0xa3, 0x60, 0x14, 0x0c, 0x77, 0, 0, 0x03, 0xe8,
    ]);
    expect(sniffFormat(deflated).format).toBe('unknown');
  });
});

describe('decodeWidthFor', () => {
  it('decodes small images at full size', () => {
    expect(decodeWidthFor(100, 80, 64)).toBeUndefined();
    expect(decodeWidthFor(undefined, 80, 64)).toBeUndefined();
  });

  it('scales the shorter side of a huge image down to the target, keeping the aspect ratio', () => {
    expect(decodeWidthFor(10_000, 10_000, 64)).toBe(64);
    expect(decodeWidthFor(12_000, 6_000, 64)).toBe(128);
    expect(decodeWidthFor(6_000, 12_000, 64)).toBe(64);
  });
});
