/**
 * What the embedding map draws, as plain commands: the background, then per point its label square, its
 * thumbnail (or a grey square while thumbnails are missing) and the outline of the selection or a neighbour.
 * Pure: paint-map.ts turns the commands into canvas calls.
 */
import { labelColour } from './label-colours';

export const BACKGROUND = '#f8fafc';
/** A point whose thumbnail has not arrived. */
export const NO_THUMBNAIL = '#64748b';
export const SELECTED_OUTLINE = '#111827';
export const NEIGHBOUR_OUTLINE = '#dc2626';

/** Thumbnails are drawn this many CSS px wide at zoom 1, growing with the square root of the zoom. */
const BASE_TILE = 14;
const MAX_TILE = 64;

export function tileSize(scale: number): number {
  return Math.min(MAX_TILE, BASE_TILE * Math.sqrt(scale));
}

export interface MapScene {
  /** Canvas size in CSS px. */
  width: number;
  height: number;
  /** Screen centres of the points, [x0, y0, x1, y1, ...] (map-view.ts toScreen). */
  screen: ArrayLike<number>;
  /** Dataset index of each point. */
  indices: ArrayLike<number>;
  /** Label of each point, when the map is coloured by label. */
  labels: ArrayLike<number> | null;
  tile: number;
  /** Dataset index of the clicked image, and of its neighbours. */
  selected: number | null;
  neighbours: ReadonlySet<number>;
  /** The thumbnail atlas (a grid of `size` px tiles, `columns` wide) holding images 0..count-1; null: none yet. */
  atlas: { columns: number; size: number; count: number } | null;
}

export type MapCommand =
  | { kind: 'fill'; colour: string; x: number; y: number; width: number; height: number }
  | { kind: 'outline'; colour: string; x: number; y: number; width: number; height: number }
  /** The atlas tile at (sourceX, sourceY), `sourceSize` px square, drawn at (x, y), `size` px square. */
  | { kind: 'thumbnail'; sourceX: number; sourceY: number; sourceSize: number; x: number; y: number; size: number };

/** The commands that draw `scene`, in painting order; points entirely off the canvas are left out. */
export function drawMap(scene: MapScene): MapCommand[] {
  const { width, height, screen, indices, labels, tile, selected, neighbours, atlas } = scene;
  const commands: MapCommand[] = [{ kind: 'fill', colour: BACKGROUND, x: 0, y: 0, width, height }];
  for (let i = 0; i < indices.length; i++) {
    const x = (screen[2 * i] ?? 0) - tile / 2;
    const y = (screen[2 * i + 1] ?? 0) - tile / 2;
    if (x > width || y > height || x + tile < 0 || y + tile < 0) continue;
    const index = indices[i] ?? 0;
    if (labels) {
      const colour = labelColour(labels[i] ?? 0);
      commands.push({ kind: 'fill', colour, x: x - 2, y: y - 2, width: tile + 4, height: tile + 4 });
    }
    if (atlas && index < atlas.count) {
      const { columns, size } = atlas;
      const sourceX = (index % columns) * size;
      const sourceY = Math.floor(index / columns) * size;
      commands.push({ kind: 'thumbnail', sourceX, sourceY, sourceSize: size, x, y, size: tile });
    } else {
      commands.push({ kind: 'fill', colour: NO_THUMBNAIL, x, y, width: tile, height: tile });
    }
    if (index === selected || neighbours.has(index)) {
      const colour = index === selected ? SELECTED_OUTLINE : NEIGHBOUR_OUTLINE;
      commands.push({ kind: 'outline', colour, x: x - 3, y: y - 3, width: tile + 6, height: tile + 6 });
    }
  }
  return commands;
}
