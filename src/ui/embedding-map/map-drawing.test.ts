import { describe, expect, it } from 'vitest';
import {
  BACKGROUND,
  drawMap,
  type MapCommand,
  type MapScene,
  NEIGHBOUR_OUTLINE,
  NO_THUMBNAIL,
  QUERY_MARKER,
  SELECTED_OUTLINE,
  SELECTION_OUTLINE,
  tileSize,
} from './map-drawing';
import { boundsOf, IDENTITY_VIEW, pan, toScreen } from './map-view';

// Three points at data (0, 0), (2, 0), (2, 1) on a 200 x 200 canvas without margin: screen (0, 150),
// (200, 150), (200, 50) (map-view.test.ts), dataset images 7, 3 and 5.
const coords = [0, 0, 2, 0, 2, 1];
const scene = (over: Partial<MapScene> = {}): MapScene => ({
  width: 200,
  height: 200,
  screen: toScreen(coords, 3, boundsOf(coords, 3), IDENTITY_VIEW, 200, 200, 0),
  indices: [7, 3, 5],
  labels: null,
  tile: 10,
  selected: null,
  neighbours: new Set(),
  selection: new Set(),
  visible: null,
  queryAt: null,
  lasso: null,
  atlas: { columns: 4, size: 16, count: 8 },
  ...over,
});
const ofKind = <K extends MapCommand['kind']>(commands: MapCommand[], kind: K) =>
  commands.filter((c): c is Extract<MapCommand, { kind: K }> => c.kind === kind);

describe('drawMap', () => {
  it('clears to the background, then draws each thumbnail centred on its point from its atlas tile', () => {
    const commands = drawMap(scene());
    expect(commands[0]).toEqual({ kind: 'fill', colour: BACKGROUND, x: 0, y: 0, width: 200, height: 200 });
    expect(ofKind(commands, 'thumbnail')).toEqual([
      // Image 7: column 3, row 1 of a 4-wide atlas of 16 px tiles.
      { kind: 'thumbnail', sourceX: 48, sourceY: 16, sourceSize: 16, x: -5, y: 145, size: 10 },
      { kind: 'thumbnail', sourceX: 48, sourceY: 0, sourceSize: 16, x: 195, y: 145, size: 10 },
      { kind: 'thumbnail', sourceX: 16, sourceY: 16, sourceSize: 16, x: 195, y: 45, size: 10 },
    ]);
  });

  it('follows the view and leaves out points entirely off the canvas', () => {
    const screen = toScreen(coords, 3, boundsOf(coords, 3), pan(IDENTITY_VIEW, 20, 0), 200, 200, 0);
    const drawn = ofKind(drawMap(scene({ screen })), 'thumbnail');
    // The two points on the right edge move to x = 220: off the canvas; the first moves to 20.
    expect(drawn.map((c) => [c.x, c.y])).toEqual([[15, 145]]);
  });

  it('colours a square behind each point by its label when colouring by label', () => {
    const fills = ofKind(drawMap(scene({ labels: [0, 1, 0] })), 'fill').slice(1);
    expect(fills.map((c) => c.colour)).toEqual(['#4e79a7', '#f28e2b', '#4e79a7']);
    expect(fills[0]).toMatchObject({ x: -7, y: 143, width: 14, height: 14 });
    expect(ofKind(drawMap(scene()), 'fill')).toHaveLength(1);
  });

  it('outlines the selected image in dark and its neighbours in red', () => {
    const outlines = ofKind(drawMap(scene({ selected: 3, neighbours: new Set([5]) })), 'outline');
    expect(outlines).toEqual([
      { kind: 'outline', colour: SELECTED_OUTLINE, x: 192, y: 142, width: 16, height: 16 },
      { kind: 'outline', colour: NEIGHBOUR_OUTLINE, x: 192, y: 42, width: 16, height: 16 },
    ]);
  });

  it('draws grey squares for images whose thumbnails have not arrived', () => {
    const commands = drawMap(scene({ atlas: { columns: 4, size: 16, count: 4 } }));
    expect(ofKind(commands, 'thumbnail')).toHaveLength(1);
    expect(ofKind(commands, 'fill').filter((c) => c.colour === NO_THUMBNAIL)).toHaveLength(2);
    expect(ofKind(drawMap(scene({ atlas: null })), 'thumbnail')).toHaveLength(0);
  });

  it('outlines lasso-selected images in blue, the searched image and its neighbours taking precedence', () => {
    const outlines = ofKind(drawMap(scene({ selected: 3, selection: new Set([7, 3]) })), 'outline');
    expect(outlines.map((c) => [c.colour, c.x])).toEqual([
      [SELECTION_OUTLINE, -8],
      [SELECTED_OUTLINE, 192],
    ]);
  });

  it('leaves out the points the filter hides', () => {
    const drawn = ofKind(drawMap(scene({ visible: [1, 0, 1] })), 'thumbnail');
    expect(drawn.map((c) => [c.x, c.y])).toEqual([
      [-5, 145],
      [195, 45],
    ]);
  });

  it('marks a searched file with a diamond and draws the lasso on top, after every point', () => {
    const commands = drawMap(scene({ queryAt: { x: 100, y: 50 }, lasso: [0, 0, 10, 0, 10, 10] }));
    const paths = ofKind(commands, 'path');
    expect(paths).toEqual([
      { kind: 'path', colour: QUERY_MARKER, points: [100, 35, 115, 50, 100, 65, 85, 50], closed: true },
      { kind: 'path', colour: SELECTION_OUTLINE, points: [0, 0, 10, 0, 10, 10], closed: false },
    ]);
    expect(commands.slice(-2)).toEqual(paths);
  });

  it('grows thumbnails with zoom^0.75 from the chosen base size, up to a cap', () => {
    expect(tileSize(1)).toBe(14);
    expect(tileSize(4)).toBeCloseTo(14 * 2 ** 1.5, 6);
    expect(tileSize(16, 8)).toBeCloseTo(64, 6);
    expect(tileSize(40)).toBe(96);
  });
});
