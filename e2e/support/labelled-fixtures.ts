/**
 * A small labelled folder, generated at test time in the system temp folder (never committed; outside
 * e2e/.fixtures/, which every run's global setup deletes and rebuilds):
 * one subfolder per class, whose names the app uses as labels for evaluation only.
 *
 *   labelled/discs/*.png     red discs at varying positions and sizes
 *   labelled/squares/*.png   blue squares
 *   labelled/stripes/*.png   green diagonal stripes with varying phase and width
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { encodePng } from './fixtures';

export const LABELLED_DIR = join(tmpdir(), `simclr-tab-e2e-${process.pid}`, 'labelled');
export const LABELLED_CLASSES = ['discs', 'squares', 'stripes'] as const;
export const PER_CLASS = 8;
export const LABELLED_COUNT = LABELLED_CLASSES.length * PER_CLASS;
export const LABELLED_SIZE = 16;

type Rgb = [number, number, number];

function pixelFor(kind: (typeof LABELLED_CLASSES)[number], k: number, size: number): (x: number, y: number) => Rgb {
  const bg: Rgb = [20 + k * 6, 20 + ((k * 11) % 30), 30];
  const cx = size / 2 + ((k % 3) - 1) * 2;
  const cy = size / 2 + ((Math.floor(k / 3) % 3) - 1) * 2;
  const r = 3 + (k % 3);
  return (x, y) => {
    if (kind === 'discs') return Math.hypot(x + 0.5 - cx, y + 0.5 - cy) < r ? [230, 40 + k * 5, 40] : bg;
    if (kind === 'squares')
      return Math.max(Math.abs(x + 0.5 - cx), Math.abs(y + 0.5 - cy)) < r ? [40, 60 + k * 5, 230] : bg;
    return (x + y + k) % (4 + (k % 2) * 2) < 2 ? [40, 210, 60 + k * 5] : bg;
  };
}

/** (Re)creates the labelled folder. Deterministic. */
export function generateLabelledFixtures(): void {
  rmSync(LABELLED_DIR, { recursive: true, force: true });
  for (const kind of LABELLED_CLASSES) {
    mkdirSync(join(LABELLED_DIR, kind), { recursive: true });
    for (let k = 0; k < PER_CLASS; k++) {
      writeFileSync(
        join(LABELLED_DIR, kind, `${kind}-${String(k).padStart(2, '0')}.png`),
        encodePng(LABELLED_SIZE, pixelFor(kind, k, LABELLED_SIZE)),
      );
    }
  }
}

/** Deletes the generated folder. */
export function removeLabelledFixtures(): void {
  rmSync(dirname(LABELLED_DIR), { recursive: true, force: true });
}
