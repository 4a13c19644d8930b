/** Pure geometry of the embedding map: fitting points into the canvas, zoom about the cursor, pan, hit tests. */

export interface View {
  /** Zoom factor (1: the points fill the canvas) and pan offset in CSS pixels. */
  scale: number;
  offsetX: number;
  offsetY: number;
}

export const IDENTITY_VIEW: View = { scale: 1, offsetX: 0, offsetY: 0 };
export const MIN_SCALE = 0.5;
export const MAX_SCALE = 40;

export interface Bounds {
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

/** Bounds of count points stored as [x0, y0, x1, y1, ...]. */
export function boundsOf(coords: ArrayLike<number>, count: number): Bounds {
  let minX = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < count; i++) {
    const x = coords[2 * i] ?? 0;
    const y = coords[2 * i + 1] ?? 0;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  if (minX > maxX) return { minX: -1, maxX: 1, minY: -1, maxY: 1 };
  return { minX, maxX, minY, maxY };
}

/**
 * Screen positions (CSS px) of the points: the bounds fit inside width x height less a margin, keeping the
 * aspect ratio (both axes share one scale), then the view's zoom and pan apply.
 */
export function toScreen(
  coords: ArrayLike<number>,
  count: number,
  bounds: Bounds,
  view: View,
  width: number,
  height: number,
  margin: number,
): Float32Array {
  const spanX = Math.max(bounds.maxX - bounds.minX, 1e-9);
  const spanY = Math.max(bounds.maxY - bounds.minY, 1e-9);
  const fit = Math.min((width - 2 * margin) / spanX, (height - 2 * margin) / spanY);
  const cx = (bounds.minX + bounds.maxX) / 2;
  const cy = (bounds.minY + bounds.maxY) / 2;
  const out = new Float32Array(count * 2);
  for (let i = 0; i < count; i++) {
    const x = ((coords[2 * i] ?? 0) - cx) * fit;
    // Screen y grows downwards: flip so up in the data is up on the screen.
    const y = -((coords[2 * i + 1] ?? 0) - cy) * fit;
    out[2 * i] = width / 2 + x * view.scale + view.offsetX;
    out[2 * i + 1] = height / 2 + y * view.scale + view.offsetY;
  }
  return out;
}

/** Zoom by `factor` keeping the point under (px, py) fixed on the screen; scale clamped to [MIN, MAX]. */
export function zoomAt(view: View, factor: number, px: number, py: number, width: number, height: number): View {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, view.scale * factor));
  const applied = scale / view.scale;
  // A point at screen p = c + s*q + o stays put when o' = (p - c) - (p - c - o) * applied.
  const dx = px - width / 2;
  const dy = py - height / 2;
  return {
    scale,
    offsetX: dx - (dx - view.offsetX) * applied,
    offsetY: dy - (dy - view.offsetY) * applied,
  };
}

export function pan(view: View, dx: number, dy: number): View {
  return { ...view, offsetX: view.offsetX + dx, offsetY: view.offsetY + dy };
}

/**
 * The point drawn nearest to (px, py) within `radius` px (later points are drawn on top and win ties), or -1;
 * points with `visible[i]` 0 (hidden by a filter) are not drawn and cannot be hit.
 */
export function hitTest(
  screen: Float32Array,
  px: number,
  py: number,
  radius: number,
  visible: ArrayLike<number> | null = null,
): number {
  let best = -1;
  let bestDistance = radius * radius;
  const count = screen.length / 2;
  for (let i = 0; i < count; i++) {
    if (visible && !visible[i]) continue;
    const dx = (screen[2 * i] ?? 0) - px;
    const dy = (screen[2 * i + 1] ?? 0) - py;
    const d = dx * dx + dy * dy;
    if (d <= bestDistance) {
      bestDistance = d;
      best = i;
    }
  }
  return best;
}
