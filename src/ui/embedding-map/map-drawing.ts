/**
 * What the embedding map draws, as plain commands: the background, then per point its label square, its
 * thumbnail (or a grey square while thumbnails are missing) and the outline of the searched image, a neighbour or
 * a lasso-selected image; then the marker of a searched file and the lasso being drawn. Points a filter hides
 * are left out. Pure: paint-map.ts turns the commands into canvas calls.
 */
import { labelColour } from './label-colours';

export const BACKGROUND = '#f8fafc';
/** A point whose thumbnail has not arrived. */
export const NO_THUMBNAIL = '#64748b';
export const SELECTED_OUTLINE = '#111827';
export const NEIGHBOUR_OUTLINE = '#dc2626';
export const SELECTION_OUTLINE = '#2563eb';
export const QUERY_MARKER = '#7c3aed';

/** Thumbnails are drawn this many CSS px wide at zoom 1 (the person can change it). */
export const BASE_TILE = 14;
/** Three times the 32 px thumbnails: larger only blurs. */
export const MAX_TILE = 96;

/**
 * Thumbnail side at a zoom: grows with zoom^0.75, nearly as fast as the points spread apart, so zooming into a
 * cluster shows its images larger without piling them up more.
 */
export function tileSize(scale: number, base = BASE_TILE): number {
  return Math.min(MAX_TILE, base * scale ** 0.75);
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
  /** Dataset indices selected with the lasso. */
  selection: ReadonlySet<number>;
  /** 1 for the points the filter shows, 0 for hidden ones; null: all shown. */
  visible: ArrayLike<number> | null;
  /** Where a searched file is marked (at its most similar image), in screen px; null: none. */
  queryAt: { x: number; y: number } | null;
  /** The lasso outline being drawn, [x0, y0, x1, y1, ...] in screen px; null: none. */
  lasso: ArrayLike<number> | null;
  /** The thumbnail atlas (a grid of `size` px tiles, `columns` wide) holding images 0..count-1; null: none yet. */
  atlas: { columns: number; size: number; count: number } | null;
}

export type MapCommand =
  | { kind: 'fill'; colour: string; x: number; y: number; width: number; height: number }
  | { kind: 'outline'; colour: string; x: number; y: number; width: number; height: number }
  /** A polyline through [x0, y0, x1, y1, ...], closed back to its start when `closed`. */
  | { kind: 'path'; colour: string; points: number[]; closed: boolean }
  /** The atlas tile at (sourceX, sourceY), `sourceSize` px square, drawn at (x, y), `size` px square. */
  | { kind: 'thumbnail'; sourceX: number; sourceY: number; sourceSize: number; x: number; y: number; size: number };

/** The commands that draw `scene`, in painting order; points entirely off the canvas are left out. */
export function drawMap(scene: MapScene): MapCommand[] {
  const { width, height, screen, indices, labels, tile, selected, neighbours, selection, visible, atlas } = scene;
  const commands: MapCommand[] = [{ kind: 'fill', colour: BACKGROUND, x: 0, y: 0, width, height }];
  for (let i = 0; i < indices.length; i++) {
    if (visible && !visible[i]) continue;
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
    const outline =
      index === selected
        ? SELECTED_OUTLINE
        : neighbours.has(index)
          ? NEIGHBOUR_OUTLINE
          : selection.has(index)
            ? SELECTION_OUTLINE
            : null;
    if (outline)
      commands.push({ kind: 'outline', colour: outline, x: x - 3, y: y - 3, width: tile + 6, height: tile + 6 });
  }
  if (scene.queryAt) {
    // A diamond around the searched file's place, larger than a thumbnail's outline.
    const { x, y } = scene.queryAt;
    const r = tile / 2 + 10;
    commands.push({
      kind: 'path',
      colour: QUERY_MARKER,
      points: [x, y - r, x + r, y, x, y + r, x - r, y],
      closed: true,
    });
  }
  if (scene.lasso && scene.lasso.length >= 4)
    commands.push({ kind: 'path', colour: SELECTION_OUTLINE, points: Array.from(scene.lasso), closed: false });
  return commands;
}
