import { useEffect, useRef } from 'react';
import { metrics } from '../../store';
import { useBufferSnapshot } from '../hooks/useBufferSnapshot';
import { divergingColor } from './heatmap-colors';
import './charts.css';

/** The last batch's 2N x 2N cosine similarity matrix. */
export function SimilarityHeatmap() {
  const canvas = useRef<HTMLCanvasElement>(null);
  const similarity = useBufferSnapshot(metrics, () => metrics.similarity);
  const size = similarity?.size ?? 0;

  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context || !similarity) return;
    const { matrix, size: n } = similarity;
    const image = context.createImageData(n, n);
    for (let i = 0; i < n * n; i++) {
      const [r, g, b] = divergingColor(matrix[i] ?? 0);
      image.data[i * 4] = r;
      image.data[i * 4 + 1] = g;
      image.data[i * 4 + 2] = b;
      image.data[i * 4 + 3] = 255;
    }
    context.putImageData(image, 0, 0);
  }, [similarity]);

  const half = size / 2;
  return (
    <figure className="heatmap">
      <figcaption>Similarity matrix of the last batch{similarity ? ` (step ${similarity.step})` : ''}</figcaption>
      <div className="heatmap-body">
        <canvas
          ref={canvas}
          data-testid="similarity-heatmap"
          data-size={size}
          width={Math.max(1, size)}
          height={Math.max(1, size)}
          role="img"
          aria-label={
            size ? `Cosine similarity of ${size} views, from -1 (blue) to +1 (red)` : 'Similarity matrix: no data yet'
          }
          className={size ? '' : 'empty'}
        />
        <div className="heatmap-legend" aria-hidden="true">
          <span>+1</span>
          <div className="legend-bar" />
          <span>−1</span>
        </div>
      </div>
      <p className="muted small">
        {size
          ? `Each row and column is one of the ${size} augmented views of ${half} images, in pairs: rows 2k and 2k+1 are the two views of image k.`
          : 'Appears with the first metrics.'}{' '}
        So the positive pairs sit in 2×2 blocks along the main diagonal and form a bright band beside it as the encoder
        learns; everything off the band (negative pairs) should fade towards 0 as training separates images.
      </p>
    </figure>
  );
}
