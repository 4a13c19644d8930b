/** Lasso selection on the map: which drawn points fall inside a freehand outline. Pure geometry. */

/** Whether (x, y) is inside `polygon` ([x0, y0, x1, y1, ...], closed implicitly), by the even-odd rule. */
export function insidePolygon(polygon: ArrayLike<number>, x: number, y: number): boolean {
  const corners = Math.floor(polygon.length / 2);
  let inside = false;
  for (let i = 0, j = corners - 1; i < corners; j = i++) {
    const xi = polygon[2 * i] ?? 0;
    const yi = polygon[2 * i + 1] ?? 0;
    const xj = polygon[2 * j] ?? 0;
    const yj = polygon[2 * j + 1] ?? 0;
    // The edge crosses the horizontal line through y, to the right of x.
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * Positions of the points (screen centres [x0, y0, ...]) inside the outline, skipping those `visible` hides.
 * An outline of fewer than three corners selects nothing.
 */
export function pointsInLasso(
  screen: ArrayLike<number>,
  polygon: ArrayLike<number>,
  visible: ArrayLike<number> | null,
): number[] {
  if (polygon.length < 6) return [];
  let minX = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (let i = 0; i + 1 < polygon.length; i += 2) {
    minX = Math.min(minX, polygon[i] ?? 0);
    maxX = Math.max(maxX, polygon[i] ?? 0);
    minY = Math.min(minY, polygon[i + 1] ?? 0);
    maxY = Math.max(maxY, polygon[i + 1] ?? 0);
  }
  const inside: number[] = [];
  const count = Math.floor(screen.length / 2);
  for (let p = 0; p < count; p++) {
    if (visible && !visible[p]) continue;
    const x = screen[2 * p] ?? 0;
    const y = screen[2 * p + 1] ?? 0;
    // The bounding box rules most points out before the edge walk.
    if (x < minX || x > maxX || y < minY || y > maxY) continue;
    if (insidePolygon(polygon, x, y)) inside.push(p);
  }
  return inside;
}
