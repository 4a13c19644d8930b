/**
 * Many distinct tiny PNGs for the scale test and the ingestion bench: written into a folder that the
 * test chooses through the folder input (as a person choosing a folder of 50,000 photos), or dropped as
 * one DataTransfer built in the page (only for small counts: Chromium's DataTransferItemList.add is
 * superlinear, measured 8.7 s for 20,000 items).
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { FIXTURES_DIR } from './fixtures';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** An RGB PNG of side x side whose pixels depend on `index` (no two are equal, so none is a duplicate). */
export function tinyPng(index: number, side = 8): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const raw = Buffer.alloc(side * (1 + side * 3));
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const i = y * (1 + side * 3) + 1 + x * 3;
      raw[i] = (index * 7 + x * 31) & 255;
      raw[i + 1] = (index >> 8) & 255;
      raw[i + 2] = (index + y * 29) & 255;
    }
  }
  raw.writeUInt32BE(index >>> 0, 1); // the first pixels spell the index
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * Drops `count` distinct PNGs named img-00000.png... onto the drop zone. The bytes go to the page as one
 * base64 string; the page builds the Files and the DataTransfer and fires dragenter, dragover and drop.
 */
export async function dropManyPngs(page: Page, count: number): Promise<void> {
  const pngs = Array.from({ length: count }, (_, i) => tinyPng(i));
  const lengths = pngs.map((p) => p.length);
  const base64 = Buffer.concat(pngs).toString('base64');
  await page.evaluate(
    ({ base64, lengths }) => {
      const bin = atob(base64);
      const all = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) all[i] = bin.charCodeAt(i);
      const dt = new DataTransfer();
      let offset = 0;
      lengths.forEach((length, i) => {
        const name = `img-${String(i).padStart(5, '0')}.png`;
        dt.items.add(new File([all.subarray(offset, offset + length)], name, { type: 'image/png' }));
        offset += length;
      });
      const zone = document.querySelector('[data-testid="drop-zone"]');
      if (!zone) throw new Error('no drop zone');
      for (const type of ['dragenter', 'dragover', 'drop'])
        zone.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    { base64, lengths },
  );
}

/** e2e/.fixtures/many-<count>/img-00000.png ... (kept between runs: rewritten only when incomplete). */
export function manyPngsFolder(count: number): string {
  const dir = join(FIXTURES_DIR, `many-${count}`);
  if (existsSync(dir) && readdirSync(dir).length === count) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) writeFileSync(join(dir, `img-${String(i).padStart(5, '0')}.png`), tinyPng(i));
  return dir;
}
