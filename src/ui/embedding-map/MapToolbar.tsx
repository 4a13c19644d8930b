import { type MapProjection, setColourByLabel, setMapProjection, useAppStore } from '../../store';
import { BASE_TILE } from './map-drawing';
import type { DragMode } from './useMapPointer';

interface Props {
  hasLabels: boolean;
  dragMode: DragMode;
  onDragMode: (mode: DragMode) => void;
  baseTile: number;
  onBaseTile: (px: number) => void;
  zoom: (factor: number) => void;
  reset: () => void;
  note: string;
}

/** Projection, label colours, what a drag does, thumbnail size and zoom of the map. */
export function MapToolbar({ hasLabels, dragMode, onDragMode, baseTile, onBaseTile, zoom, reset, note }: Props) {
  const projection = useAppStore((s) => s.evaluation.projection);
  const colourByLabel = useAppStore((s) => s.evaluation.colourByLabel);
  return (
    <div className="map-toolbar">
      <fieldset className="segmented">
        <legend className="visually-hidden">Projection</legend>
        {(['pca', 'umap'] as const satisfies readonly MapProjection[]).map((p) => (
          <label key={p}>
            <input type="radio" name="map-projection" checked={projection === p} onChange={() => setMapProjection(p)} />
            {p.toUpperCase()}
          </label>
        ))}
      </fieldset>
      <label className={hasLabels ? '' : 'disabled'}>
        <input
          type="checkbox"
          checked={colourByLabel && hasLabels}
          disabled={!hasLabels}
          onChange={(e) => setColourByLabel(e.target.checked)}
        />
        Colour by label
      </label>
      <fieldset className="segmented">
        <legend>Drag to</legend>
        {(
          [
            ['pan', 'pan'],
            ['lasso', 'select (lasso)'],
          ] as const
        ).map(([mode, text]) => (
          <label key={mode}>
            <input type="radio" name="map-drag" checked={dragMode === mode} onChange={() => onDragMode(mode)} />
            {text}
          </label>
        ))}
      </fieldset>
      <label className="tile-size">
        Thumbnail size
        <input
          type="range"
          min={8}
          max={40}
          step={2}
          value={baseTile}
          onChange={(e) => onBaseTile(Number(e.target.value))}
          aria-valuetext={`${baseTile} px at zoom 1${baseTile === BASE_TILE ? ' (default)' : ''}`}
        />
      </label>
      <button type="button" onClick={() => zoom(1.5)}>
        Zoom in
      </button>
      <button type="button" onClick={() => zoom(1 / 1.5)}>
        Zoom out
      </button>
      <button type="button" onClick={reset}>
        Reset view
      </button>
      <span className="muted small" data-testid="umap-status">
        {note}
      </span>
    </div>
  );
}
