import type { EmbeddingMapData } from '../../store';
import { thumbnails } from '../../store';
import { Thumb } from './Thumb';

/** The image under the pointer, larger, with its file path and label. */
export function MapHover({ map, point, x, y }: { map: EmbeddingMapData; point: number; x: number; y: number }) {
  const index = map.indices[point] ?? 0;
  const label = map.labels ? map.labelNames[map.labels[point] ?? 0] : undefined;
  const path = thumbnails.pathAt(index);
  return (
    <div className="map-hover" style={{ left: x + 12, top: y + 12 }} data-testid="map-hover" data-index={index}>
      <Thumb index={index} display={96} title={path} />
      <div className="small">{path}</div>
      {label !== undefined && <div className="small muted">label: {label}</div>}
    </div>
  );
}
