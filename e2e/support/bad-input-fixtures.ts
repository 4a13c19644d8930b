/**
 * The bad-inputs folder, generated at test time under e2e/.fixtures/bad-inputs/ (never committed):
 * every kind of file a person's photo folder may hold, each with what the app must do with it.
 * JPEG, GIF and TIFF files come from photo_fixtures.py (Pillow: `apt-get install python3-pil`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { encodePng, FIXTURES_DIR } from './fixtures';

export const BAD_INPUTS_DIR = join(FIXTURES_DIR, 'bad-inputs');
/** One valid image alone, for the "one image" message. */
export const ONE_IMAGE_DIR = join(FIXTURES_DIR, 'one-image');

/** Ten folders deep below BAD_INPUTS_DIR. */
const DEEP_DIR = 'd1/d2/d3/d4/d5/d6/d7/d8/d9/d10';

/** Files that must load, by path below the chosen folder 'bad-inputs/'. */
export const ACCEPTED = [
  'photo.jpg',
  'cmyk.jpg',
  'animated.gif',
  'exif-rotated.jpg',
  '16bit.png',
  'one-pixel.png',
  'huge-10000.png',
  'my holiday photo 1.png',
  '写真 ü.png',
  `${DEEP_DIR}/deep.png`,
] as const;

/** Files that must be listed as skipped, with a pattern their reason must match. */
export const SKIPPED: ReadonlyArray<{ path: string; reason: RegExp }> = [
  { path: 'empty.png', reason: /empty file/i },
  { path: 'truncated.jpg', reason: /truncated/i },
  { path: 'fake.png', reason: /text/i },
  { path: 'IMG_0001.heic', reason: /HEIC.*not supported/i },
  { path: 'scan.tiff', reason: /TIFF.*not supported/i },
  { path: 'drawing.svg', reason: /SVG.*not supported/i },
];

/** Two files with the same bytes: the one read second is skipped as a duplicate of the other. */
export const DUPLICATES = ['copies/same-a.png', 'copies/same-b.png'] as const;

/** A PNG of 10000 x 10000 pixels (1 bit per pixel, vertical stripes): about 12 KB on disk, 400 MB as RGBA. */
function hugePng(side: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'ascii'), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // grayscale
  const rowBytes = Math.ceil(side / 8);
  const raw = Buffer.alloc(side * (rowBytes + 1), 0xf0);
  for (let y = 0; y < side; y++) raw[y * (rowBytes + 1)] = 0; // filter type: none
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function python(): string {
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

function solid(size: number, rgb: [number, number, number]): Buffer {
  return encodePng(size, () => rgb);
}

/** (Re)creates BAD_INPUTS_DIR and ONE_IMAGE_DIR; call after generateFixtures() (which empties FIXTURES_DIR). */
export function generateBadInputFixtures(): void {
  const write = (path: string, data: Buffer | string) => {
    const full = join(BAD_INPUTS_DIR, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, data);
  };
  mkdirSync(BAD_INPUTS_DIR, { recursive: true });
  const script = join(dirname(fileURLToPath(import.meta.url)), 'photo_fixtures.py');
  execFileSync(python(), [script, BAD_INPUTS_DIR], { stdio: 'inherit' });
  write('empty.png', '');
  write('fake.png', 'not really a PNG, just text\n');
  write('IMG_0001.heic', Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic')]));
  write('drawing.svg', '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>\n');
  write('one-pixel.png', solid(1, [250, 200, 0]));
  write('huge-10000.png', hugePng(10_000));
  write('my holiday photo 1.png', solid(12, [10, 200, 30]));
  write('写真 ü.png', solid(12, [200, 10, 150]));
  write(`${DEEP_DIR}/deep.png`, solid(12, [30, 30, 220]));
  const same = encodePng(16, (x, y) => [x * 16, y * 16, 77]);
  for (const path of DUPLICATES) write(path, same);
  mkdirSync(ONE_IMAGE_DIR, { recursive: true });
  writeFileSync(join(ONE_IMAGE_DIR, 'only.png'), solid(16, [120, 60, 200]));
}
