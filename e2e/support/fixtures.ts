/**
 * Test images, generated at test time under e2e/.fixtures/ (gitignored, never committed).
 *
 *   shapes/                      the folder loaded through <input webkitdirectory>
 *     notes.txt                  not an image            -> skipped
 *     fake.png                   text named .png         -> skipped
 *     round/circles/*.png        (3 levels deep)
 *     round/circles/tiny/*.png   (4 levels deep)
 *     round/rings/*.png
 *     square/*.png
 *     square/outlined/*.png
 *     stripes/*.png
 *   drop/*.png                   dropped onto the drop zone (DataTransfer built in the page)
 *   probe.png                    16 x 16, embedded by the app and by tfjs in Node for comparison
 *
 * Every PNG is RGB (no alpha, no colour chunks), with a deterministic pattern distinct per image.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

export const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '.fixtures');
export const SHAPES_DIR = join(FIXTURES_DIR, 'shapes');
export const DROP_DIR = join(FIXTURES_DIR, 'drop');
export const PROBE_PATH = join(FIXTURES_DIR, 'probe.png');
/** Side of probe.png; the train spec configures exactly this image size so that no resize happens. */
export const PROBE_SIZE = 16;

/** Relative to SHAPES_DIR: folder -> number of PNGs and their side. */
const LAYOUT: ReadonlyArray<{ dir: string; count: number; size: number }> = [
  { dir: 'round/circles', count: 5, size: 32 },
  { dir: 'round/circles/tiny', count: 3, size: 16 },
  { dir: 'round/rings', count: 4, size: 32 },
  { dir: 'square', count: 4, size: 32 },
  { dir: 'square/outlined', count: 4, size: 16 },
  { dir: 'stripes', count: 4, size: 32 },
];

/** Number of valid PNGs in SHAPES_DIR. */
export const SHAPES_PNG_COUNT = LAYOUT.reduce((n, d) => n + d.count, 0);
/** Files in SHAPES_DIR the app must skip, with a reason. */
export const SHAPES_INVALID_FILES = ['notes.txt', 'fake.png'] as const;
export const DROP_COUNT = 4;

type Rgb = [number, number, number];

const PALETTE: Rgb[] = [
  [230, 25, 75],
  [60, 180, 75],
  [255, 225, 25],
  [0, 130, 200],
  [245, 130, 48],
  [145, 30, 180],
  [70, 240, 240],
  [240, 50, 230],
  [210, 245, 60],
  [250, 190, 212],
  [0, 128, 128],
  [170, 110, 40],
];

/** A distinct picture for each index: a shape kind, colours and an offset that all depend on `index`. */
function pattern(index: number, size: number): (x: number, y: number) => Rgb {
  const fg = PALETTE[index % PALETTE.length]!;
  const bg = PALETTE[(index * 5 + 3) % PALETTE.length]!;
  const kind = index % 4;
  const c = size / 2 + ((index % 3) - 1) * (size / 8);
  const r = size * (0.2 + 0.05 * (index % 4));
  return (x, y) => {
    // The corner pixel encodes the index: no two fixtures are ever identical.
    if (x === 0 && y === 0) return [index, 255 - index, (index * 37) % 256];
    const dx = x + 0.5 - c;
    const dy = y + 0.5 - c;
    const d = Math.hypot(dx, dy);
    let inside: boolean;
    if (kind === 0) inside = d < r;
    else if (kind === 1) inside = Math.abs(d - r) < size / 10;
    else if (kind === 2) inside = Math.max(Math.abs(dx), Math.abs(dy)) < r;
    else inside = Math.floor((x + index) / 3) % 2 === 0;
    const base = inside ? fg : bg;
    // A faint gradient keeps images with the same shape kind and colours apart.
    const g = Math.round((x + 2 * y) * (index + 1)) % 24;
    return [Math.min(255, base[0] + g), Math.max(0, base[1] - g), base[2]];
  };
}

export function encodePng(size: number, pixel: (x: number, y: number) => Rgb): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const [r, g, b] = pixel(x, y);
      const i = (y * size + x) * 4;
      png.data[i] = r;
      png.data[i + 1] = g;
      png.data[i + 2] = b;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png, { colorType: 2 });
}

/** Probe: a smooth gradient plus seeded noise, so every channel and position matters. */
function probePixel(x: number, y: number): Rgb {
  let s = (x * 73856093) ^ (y * 19349663) ^ 0x5bd1e995;
  s = Math.imul(s ^ (s >>> 13), 0x5bd1e995);
  const noise = ((s >>> 0) % 64) - 32;
  const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
  return [clamp(x * 16 + noise), clamp(y * 16 - noise), clamp(255 - (x + y) * 8 + noise / 2)];
}

/** (Re)creates e2e/.fixtures/. Idempotent and deterministic. */
export function generateFixtures(): void {
  rmSync(FIXTURES_DIR, { recursive: true, force: true });
  let index = 0;
  for (const { dir, count, size } of LAYOUT) {
    mkdirSync(join(SHAPES_DIR, dir), { recursive: true });
    for (let k = 0; k < count; k++, index++) {
      const name = `${dir.replaceAll('/', '-')}-${String(k).padStart(2, '0')}.png`;
      writeFileSync(join(SHAPES_DIR, dir, name), encodePng(size, pattern(index, size)));
    }
  }
  writeFileSync(join(SHAPES_DIR, 'notes.txt'), 'These shapes are test fixtures.\n');
  writeFileSync(join(SHAPES_DIR, 'fake.png'), 'not really a PNG, just text\n');
  mkdirSync(DROP_DIR, { recursive: true });
  for (let k = 0; k < DROP_COUNT; k++) {
    writeFileSync(join(DROP_DIR, `dropped-${k}.png`), encodePng(32, pattern(SHAPES_PNG_COUNT + k, 32)));
  }
  writeFileSync(PROBE_PATH, encodePng(PROBE_SIZE, probePixel));
}
