import { evaluation, selectMapImage, thumbnails, useAppStore } from '../../store';
import { useBufferSnapshot } from '../hooks/useBufferSnapshot';
import { Thumb } from './Thumb';

/** The clicked image and its 16 nearest neighbours by cosine similarity on h. */
export function NeighboursList() {
  const selected = useAppStore((s) => s.evaluation.selected);
  const pending = useAppStore((s) => s.evaluation.neighboursRequestId !== null);
  const neighbours = useAppStore((s) => s.evaluation.neighbours);
  const error = useAppStore((s) => s.evaluation.neighboursError);
  const map = useBufferSnapshot(evaluation, () => evaluation.map);
  if (selected === null)
    return <p className="muted small">Click an image on the map to see its 16 nearest neighbours.</p>;
  const labelOf = (index: number): string => {
    if (!map?.labels) return '';
    const position = map.indices.indexOf(index);
    return position >= 0 ? (map.labelNames[map.labels[position] ?? 0] ?? '') : '';
  };
  return (
    <section className="neighbours" aria-label="Nearest neighbours" data-testid="neighbours" data-index={selected}>
      <h4>
        Nearest neighbours of {thumbnails.pathAt(selected) || `image ${selected}`}
        {neighbours ? ` (encoder at step ${neighbours.step})` : ''}
      </h4>
      <div className="neighbours-row">
        <figure className="neighbour query">
          <Thumb index={selected} display={64} title={thumbnails.pathAt(selected)} />
          <figcaption className="small">query {labelOf(selected)}</figcaption>
        </figure>
        {pending && <p className="muted small">Finding neighbours…</p>}
        {error && (
          <p className="error-text small" role="alert">
            {error}
          </p>
        )}
        {!pending &&
          neighbours?.index === selected &&
          neighbours.items.map((n) => (
            <figure key={n.index} className="neighbour" data-testid="neighbour" data-index={n.index}>
              <Thumb index={n.index} display={48} title={thumbnails.pathAt(n.index)} />
              <figcaption className="small">
                {n.similarity.toFixed(2)} {labelOf(n.index)}
              </figcaption>
            </figure>
          ))}
      </div>
      <button type="button" onClick={() => selectMapImage(null)}>
        Clear selection
      </button>
    </section>
  );
}
