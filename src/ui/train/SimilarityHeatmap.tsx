import { useEffect, useRef } from 'react';
import { metrics } from '../../store';
import { ChartHelp } from '../charts/ChartHelp';
import { formatCount } from '../format';
import { useBufferSnapshot } from '../hooks/useBufferSnapshot';
import { divergingColor } from './heatmap-colors';
import '../charts/charts.css';

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
      <figcaption>
        Similarity matrix of the last batch{similarity ? ` (step ${formatCount(similarity.step)})` : ''}
      </figcaption>
      <div className="heatmap-body">
        <div className="heatmap-plot">
          <span className="heatmap-y-label">row: view</span>
          <div className="heatmap-y-ticks" aria-hidden="true">
            <span>1</span>
            <span>{size || ''}</span>
          </div>
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
          <div className="heatmap-x-ticks" aria-hidden="true">
            <span>1</span>
            <span>{size || ''}</span>
          </div>
          <span className="heatmap-x-label">column: view</span>
        </div>
        <div className="heatmap-legend">
          <span className="heatmap-legend-title">cosine similarity</span>
          <span>+1</span>
          <div className="legend-bar" />
          <span>−1</span>
        </div>
      </div>
      <ChartHelp>
        {size
          ? `Each row and column is one of the ${size} augmented views of ${half} images, in pairs: views 2k − 1 and 2k are the two views of image k. `
          : 'Appears with the first metrics. '}
        Good: the positive pairs, in 2×2 blocks along the diagonal, turn red as the encoder learns, and everything off
        them (negative pairs) fades towards white (0).
      </ChartHelp>
    </figure>
  );
}
