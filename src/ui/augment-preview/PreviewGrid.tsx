import { useEffect, useRef } from 'react';
import type { PreviewViews } from '../../store';

/** One view drawn at its real size into a canvas (scaled up with CSS, pixelated). */
function ViewCanvas({ views, index, label }: { views: PreviewViews; index: number; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = ref.current?.getContext('2d');
    if (!context) return;
    const size = views.viewSize;
    const bytes = size * size * 4;
    const pixels = new Uint8ClampedArray(views.pixels.buffer, views.pixels.byteOffset + index * bytes, bytes);
    context.putImageData(new ImageData(new Uint8ClampedArray(pixels), size, size), 0, 0);
  }, [views, index]);
  return (
    <canvas
      ref={ref}
      width={views.viewSize}
      height={views.viewSize}
      className="augment-view"
      role="img"
      aria-label={label}
    />
  );
}

/** The 8 pairs side by side: each pair is the two views one training step would make of the image. */
export function PreviewGrid({ views }: { views: PreviewViews }) {
  return (
    <ul className="augment-pairs" aria-label="Augmented view pairs">
      {Array.from({ length: views.pairs }, (_, p) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: pairs are positions, not items
        <li key={p} className="augment-pair">
          <ViewCanvas views={views} index={2 * p} label={`Pair ${p + 1}, view 1`} />
          <ViewCanvas views={views} index={2 * p + 1} label={`Pair ${p + 1}, view 2`} />
        </li>
      ))}
    </ul>
  );
}
