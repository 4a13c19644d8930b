import { type PointerEvent, useRef, useState } from 'react';
import { pointsInLasso } from './lasso';
import { hitTest, pan, type View } from './map-view';

/** What a drag on the map does; Shift+drag always draws the lasso. */
export type DragMode = 'pan' | 'lasso';

interface Options {
  screen: Float32Array;
  tile: number;
  visible: Uint8Array | null;
  mode: DragMode;
  setView: (update: (v: View) => View) => void;
  /** A click on point `point` (a position in the map's pass). */
  onPick: (point: number) => void;
  /** The points inside a finished lasso. */
  onLasso: (points: number[]) => void;
}

/** Below this many px of movement a press is a click, not a drag. */
const CLICK_SLOP = 3;

/** Pointer handling of the map canvas: click to pick, drag to pan or lasso, hover for the image card. */
export function useMapPointer({ screen, tile, visible, mode, setView, onPick, onLasso }: Options) {
  const drag = useRef<{ x: number; y: number; moved: boolean; lasso: number[] | null } | null>(null);
  const [hover, setHover] = useState<{ point: number; x: number; y: number } | null>(null);
  const [lasso, setLasso] = useState<number[] | null>(null);

  const local = (event: PointerEvent<HTMLCanvasElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };
  const pointAt = (event: PointerEvent<HTMLCanvasElement>) => {
    const { x, y } = local(event);
    return { x, y, point: hitTest(screen, x, y, tile / 2 + 2, visible) };
  };

  const handlers = {
    onPointerDown(event: PointerEvent<HTMLCanvasElement>) {
      const { x, y } = local(event);
      const lassoing = mode === 'lasso' || event.shiftKey;
      drag.current = { x: event.clientX, y: event.clientY, moved: false, lasso: lassoing ? [x, y] : null };
      event.currentTarget.setPointerCapture?.(event.pointerId);
    },
    onPointerMove(event: PointerEvent<HTMLCanvasElement>) {
      const d = drag.current;
      if (d) {
        const dx = event.clientX - d.x;
        const dy = event.clientY - d.y;
        if (d.moved || Math.hypot(dx, dy) > CLICK_SLOP) {
          d.moved = true;
          setHover(null);
          if (d.lasso) {
            const { x, y } = local(event);
            d.lasso.push(x, y);
            setLasso([...d.lasso]);
            return;
          }
          d.x = event.clientX;
          d.y = event.clientY;
          setView((v) => pan(v, dx, dy));
          return;
        }
      }
      const hit = pointAt(event);
      setHover(hit.point >= 0 ? hit : null);
    },
    onPointerUp(event: PointerEvent<HTMLCanvasElement>) {
      const d = drag.current;
      drag.current = null;
      setLasso(null);
      if (d?.moved && d.lasso) {
        onLasso(pointsInLasso(screen, d.lasso, visible));
        return;
      }
      if (d?.moved) return;
      const hit = pointAt(event);
      if (hit.point >= 0) onPick(hit.point);
    },
    onPointerLeave() {
      setHover(null);
    },
  };
  return { handlers, hover, lasso };
}
