import { useEffect, useRef } from 'react';
import type { HealthSnapshot } from '../../store';
import { histogramBars } from './histogram-bars';

const WIDTH = 320;
const HEIGHT = 120;

/** Positive-pair vs negative-pair cosine similarity, each normalized to its own total, over [-1, 1]. */
export function SimilarityHistogram({ health }: { health: HealthSnapshot | null }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    context.clearRect(0, 0, WIDTH, HEIGHT);
    if (!health) return;
    const draw = (counts: Float32Array, colour: string) => {
      context.fillStyle = colour;
      for (const bar of histogramBars(counts, WIDTH, HEIGHT)) context.fillRect(bar.x, bar.y, bar.width, bar.height);
    };
    draw(health.negativeHistogram, 'rgba(194, 65, 12, 0.55)');
    draw(health.positiveHistogram, 'rgba(4, 120, 87, 0.55)');
    context.fillStyle = '#5b6270';
    context.fillRect(WIDTH / 2, 0, 1, HEIGHT);
  }, [health]);
  return (
    <figure className="histogram">
      <figcaption>
        Cosine similarity of <span className="positive-key">positive pairs</span> vs{' '}
        <span className="negative-key">negative pairs</span>
        {health ? ` (step ${health.step})` : ''}
      </figcaption>
      <canvas
        ref={canvas}
        width={WIDTH}
        height={HEIGHT}
        data-testid="similarity-histogram"
        data-bins={health?.positiveHistogram.length ?? 0}
        role="img"
        aria-label={
          health
            ? 'Histograms of positive and negative pair similarity from -1 (left) to +1 (right)'
            : 'Similarity histograms: no data yet'
        }
      />
      <div className="histogram-axis" aria-hidden="true">
        <span>−1</span>
        <span>0</span>
        <span>+1</span>
      </div>
      <p className="muted small">
        {health
          ? 'As the encoder learns, positives move right (towards +1) while negatives stay spread around 0.'
          : 'Appears with the first metrics.'}
      </p>
    </figure>
  );
}
