import { describe, expect, it } from 'vitest';
import { boundsOf, hitTest, IDENTITY_VIEW, MAX_SCALE, pan, toScreen, zoomAt } from './map-view';

describe('map view', () => {
  const coords = [0, 0, 2, 0, 2, 1];
  const bounds = boundsOf(coords, 3);

  it('fits the bounds in the canvas with one scale for both axes, y up', () => {
    expect(bounds).toEqual({ minX: 0, maxX: 2, minY: 0, maxY: 1 });
    // 200 x 200 with margin 0: x span 2 -> 100 px per unit; centre (1, 0.5) at (100, 100).
    const s = [...toScreen(coords, 3, bounds, IDENTITY_VIEW, 200, 200, 0)];
    expect(s).toEqual([0, 150, 200, 150, 200, 50]);
  });

  it('zooming about a point keeps that point fixed', () => {
    const before = toScreen(coords, 3, bounds, IDENTITY_VIEW, 200, 200, 0);
    const view = zoomAt(IDENTITY_VIEW, 2, 200, 50, 200, 200);
    const after = toScreen(coords, 3, bounds, view, 200, 200, 0);
    expect([after[4], after[5]]).toEqual([before[4], before[5]]);
    expect(after[0]).toBeCloseTo(-200);
    expect(zoomAt(IDENTITY_VIEW, 1e6, 0, 0, 200, 200).scale).toBe(MAX_SCALE);
  });

  it('pans and hit-tests the nearest point within the radius', () => {
    const view = pan(IDENTITY_VIEW, 10, -5);
    const s = toScreen(coords, 3, bounds, view, 200, 200, 0);
    expect(hitTest(s, 212, 46, 6)).toBe(2);
    expect(hitTest(s, 100, 100, 6)).toBe(-1);
    expect(hitTest(s, 10, 146, 3)).toBe(0);
  });

  it('cannot hit a point the filter hides', () => {
    const s = toScreen(coords, 3, bounds, IDENTITY_VIEW, 200, 200, 0);
    expect(hitTest(s, 200, 150, 6, [1, 0, 1])).toBe(-1);
    expect(hitTest(s, 200, 150, 200, [1, 0, 1])).toBe(2);
    expect(hitTest(s, 200, 150, 6, [1, 1, 1])).toBe(1);
  });
});
