import { useEffect, useRef } from 'react';
import { thumbnails } from '../../store';
import { useFrameVersion } from '../hooks/useFrameVersion';

/** One data set thumbnail, drawn from the thumbnail buffer and scaled by CSS to `display` px. */
export function Thumb({ index, display, title }: { index: number; display: number; title: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const version = useFrameVersion(thumbnails);
  const size = thumbnails.size;
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    const pixels = thumbnails.pixelsAt(index);
    const side = thumbnails.size;
    if (!context || !pixels || side === 0 || version < 0) return;
    context.putImageData(new ImageData(new Uint8ClampedArray(pixels), side, side), 0, 0);
  }, [index, version]);
  return (
    <canvas
      ref={canvas}
      width={Math.max(1, size)}
      height={Math.max(1, size)}
      style={{ width: display, height: display, imageRendering: 'pixelated' }}
      role="img"
      aria-label={title}
      title={title}
    />
  );
}
