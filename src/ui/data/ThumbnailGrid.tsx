import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef } from 'react';
import { evaluation, selectMapImage, setMapSelection, thumbnails, useAppStore } from '../../store';
import { useBufferSnapshot } from '../hooks/useBufferSnapshot';
import { useElementWidth } from '../hooks/useElementWidth';
import { useFrameVersion } from '../hooks/useFrameVersion';

const CELL = 56;
const GAP = 4;
const MAX_HEIGHT = 360;

/**
 * One thumbnail on its own small canvas, redrawn when the buffer changes; a button that searches with the image
 * once the map can answer.
 */
const ThumbnailCell = memo(function ThumbnailCell({
  index,
  version,
  searchable,
}: {
  index: number;
  version: number;
  searchable: boolean;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const size = thumbnails.size;
  const path = thumbnails.pathAt(index);
  // `version` is how this component learns that the buffer (outside React) changed; `searchable` wraps the
  // canvas in a button, which makes a new, blank canvas.
  // biome-ignore lint/correctness/useExhaustiveDependencies: redraw when the thumbnail buffer or the element changes
  useEffect(() => {
    const pixels = thumbnails.pixelsAt(index);
    const context = canvas.current?.getContext('2d');
    if (!pixels || !context || size === 0) return;
    context.putImageData(new ImageData(new Uint8ClampedArray(pixels), size, size), 0, 0);
  }, [index, size, version, searchable]);
  const image = (
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
  if (!searchable) return image;
  return (
    <button
      type="button"
      className="thumb-button"
      data-index={index}
      aria-label={`Find images like ${path}`}
      onClick={() => selectMapImage(index)}
    >
      {image}
    </button>
  );
});

/**
 * Every loaded image, or only those selected on the map, virtualized by rows so 10,000+ images stay fast.
 * Once the map exists a click on an image searches with it.
 */
export function ThumbnailGrid() {
  const scroller = useRef<HTMLElement>(null);
  const version = useFrameVersion(thumbnails);
  const width = useElementWidth(scroller);
  const selection = useAppStore((s) => s.evaluation.mapSelection);
  const searchable = useBufferSnapshot(evaluation, () => evaluation.map !== null);
  const shown = selection ? selection.filter((index) => index < thumbnails.count) : null;
  const count = shown ? shown.length : thumbnails.count;
  const indexAt = (position: number) => (shown ? (shown[position] ?? 0) : position);
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
    <>
      {selection && (
        <p className="grid-selection small" data-testid="grid-selection">
          Showing the {selection.length} images selected on the map
          {shown && shown.length < selection.length ? ` (${shown.length} with thumbnails)` : ''}.{' '}
          <button type="button" onClick={() => setMapSelection(null)}>
            Show all images
          </button>
        </p>
      )}
      <section
        ref={scroller}
        className="thumbnail-grid"
        data-testid="thumbnail-grid"
        data-count={count}
        data-selection={selection ? 'true' : 'false'}
        style={{ height }}
        aria-label={
          selection ? `Thumbnails of the ${count} images selected on the map` : `Thumbnails of ${count} images`
        }
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
                  {Array.from({ length: last - first }, (_, i) => {
                    const index = indexAt(first + i);
                    // The dataset index is the thumbnail's identity.
                    return <ThumbnailCell key={index} index={index} version={version} searchable={searchable} />;
                  })}
                </div>
              );
            })}
          </div>
        )}
      </section>
    </>
  );
}
