import { useMemo } from 'react';
import { type EmbeddingMapData, setMapFilter, setMapSelection, useAppStore } from '../../store';
import { labelColour } from './label-colours';
import { isFiltering, labelCounts } from './map-filter';

/**
 * Search and filter of the map by file name and label, with the images per label, and a selection of the shown
 * images (the keyboard's way to what the lasso does).
 */
export function MapFilterBar({ map, visible }: { map: EmbeddingMapData; visible: Uint8Array }) {
  const filter = useAppStore((s) => s.evaluation.mapFilter);
  const selection = useAppStore((s) => s.evaluation.mapSelection);
  const total = map.indices.length;
  const shown = useMemo(() => visible.reduce((sum, v) => sum + v, 0), [visible]);
  const names = map.labels ? map.labelNames : [];
  const counts = useMemo(
    () => (map.labels ? labelCounts(map.labels, map.labelNames.length, null) : []),
    [map.labels, map.labelNames],
  );
  const filtering = isFiltering(filter);
  return (
    <div className="map-filter">
      <label>
        Find by file name
        <input
          type="search"
          value={filter.text}
          placeholder="part of the name or folder"
          onChange={(e) => setMapFilter({ text: e.target.value })}
        />
      </label>
      <label className={map.labels ? '' : 'disabled'}>
        Label
        <select
          value={filter.label ?? ''}
          disabled={!map.labels}
          onChange={(e) => setMapFilter({ label: e.target.value === '' ? null : Number(e.target.value) })}
        >
          <option value="">all labels ({total})</option>
          {names.map((name, i) => (
            <option key={name} value={i}>
              {name} ({counts[i] ?? 0})
            </option>
          ))}
        </select>
      </label>
      <span className="small" data-testid="map-shown" data-shown={shown} role="status">
        {filtering ? `${shown} of ${total} images shown` : `${total} images`}
        {filtering && shown === 0 ? ': none matches; change or clear the filter.' : ''}
      </span>
      {filtering && (
        <button type="button" onClick={() => setMapFilter({ text: '', label: null })}>
          Clear filter
        </button>
      )}
      <button
        type="button"
        disabled={shown === 0}
        onClick={() => setMapSelection(Array.from(map.indices).filter((_, p) => visible[p]))}
      >
        Select the shown images
      </button>
      {selection && (
        <span className="small" data-testid="map-selection" data-count={selection.length}>
          {selection.length} selected, shown in the thumbnail grid{' '}
          <button type="button" onClick={() => setMapSelection(null)}>
            Clear selection
          </button>
        </span>
      )}
    </div>
  );
}

/** Label colours with the number of images of each on the map (and of those shown, under a filter). */
export function LabelLegend({ map, visible }: { map: EmbeddingMapData; visible: Uint8Array }) {
  const filtering = useAppStore((s) => isFiltering(s.evaluation.mapFilter));
  const { labels, labelNames } = map;
  const all = useMemo(() => (labels ? labelCounts(labels, labelNames.length, null) : []), [labels, labelNames]);
  const shown = useMemo(
    () => (labels ? labelCounts(labels, labelNames.length, visible) : []),
    [labels, labelNames, visible],
  );
  if (!labels) return null;
  return (
    <ul className="label-legend" aria-label="Images per label">
      {labelNames.map((name, i) => (
        <li key={name} data-testid="label-count" data-label={name} data-count={all[i] ?? 0}>
          <span className="swatch" style={{ background: labelColour(i) }} />
          {name} <span className="muted">{filtering ? `${shown[i] ?? 0} / ${all[i] ?? 0}` : (all[i] ?? 0)}</span>
        </li>
      ))}
    </ul>
  );
}
