import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef } from 'react';
import { thumbnails } from '../../store';
import { useElementWidth } from '../hooks/useElementWidth';
import { useFrameVersion } from '../hooks/useFrameVersion';

const CELL = 56;
const GAP = 4;
const MAX_HEIGHT = 360;

/** One thumbnail on its own small canvas, redrawn when the buffer changes. */
const ThumbnailCell = memo(function ThumbnailCell({ index, version }: { index: number; version: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const size = thumbnails.size;
  const path = thumbnails.pathAt(index);
  // `version` is how this component learns that the buffer (outside React) changed.
  // biome-ignore lint/correctness/useExhaustiveDependencies: redraw when the thumbnail buffer changes
  useEffect(() => {
    const pixels = thumbnails.pixelsAt(index);
    const context = canvas.current?.getContext('2d');
    if (!pixels || !context || size === 0) return;
    context.putImageData(new ImageData(new Uint8ClampedArray(pixels), size, size), 0, 0);
  }, [index, size, version]);
  return (
    <canvas
      ref={canvas}
      className="thumb"
      width={size}
      height={size}
      role="img"
      aria-label={path}
      title={path}
      style={{ width: CELL, height: CELL }}
    />
  );
});

/** Every loaded image, virtualized by rows so 10,000+ images stay fast. */
export function ThumbnailGrid() {
  const scroller = useRef<HTMLElement>(null);
  const version = useFrameVersion(thumbnails);
  const width = useElementWidth(scroller);
  const count = thumbnails.count;
  const columns = Math.max(1, Math.floor((width - GAP) / (CELL + GAP)));
  const rows = Math.ceil(count / columns);
  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => scroller.current,
    estimateSize: () => CELL + GAP,
    overscan: 4,
  });
  const height = count === 0 ? undefined : Math.min(MAX_HEIGHT, rows * (CELL + GAP) + GAP);

  return (
    <section
      ref={scroller}
      className="thumbnail-grid"
      data-testid="thumbnail-grid"
      data-count={count}
      style={{ height }}
      aria-label={`Thumbnails of ${count} images`}
      // A scrollable region must be reachable by keyboard.
      // biome-ignore lint/a11y/noNoninteractiveTabindex: scroll container
      tabIndex={0}
    >
      {count === 0 ? (
        <p className="placeholder">Thumbnails of the loaded images will appear here.</p>
      ) : (
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((row) => {
            const first = row.index * columns;
            const last = Math.min(count, first + columns);
            return (
              <div
                key={row.key}
                className="thumb-row"
                style={{ transform: `translateY(${row.start + GAP}px)`, gap: GAP, paddingLeft: GAP }}
              >
                {Array.from({ length: last - first }, (_, i) => (
                  // The dataset index is the thumbnail's identity.
                  // biome-ignore lint/suspicious/noArrayIndexKey: dataset index, stable
                  <ThumbnailCell key={first + i} index={first + i} version={version} />
                ))}
              </div>
            );
          })}
        </div>
      )}
    </section>
  );
}
