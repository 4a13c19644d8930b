import { type PointerEvent, useEffect, useMemo, useRef, useState } from 'react';
import {
  evaluation,
  requestUmapLayout,
  selectMapImage,
  setColourByLabel,
  setMapProjection,
  thumbnails,
  useAppStore,
} from '../../store';
import { useBufferSnapshot } from '../hooks/useBufferSnapshot';
import { useElementWidth } from '../hooks/useElementWidth';
import { useFrameVersion } from '../hooks/useFrameVersion';
import { labelColour } from './label-colours';
import { MapHover } from './MapHover';
import { drawMap, tileSize } from './map-drawing';
import { boundsOf, hitTest, IDENTITY_VIEW, pan, toScreen, type View, zoomAt } from './map-view';
import { NeighboursList } from './NeighboursList';
import { paintMap } from './paint-map';
import { ThumbnailAtlas } from './thumbnail-atlas';
import './embedding-map.css';

const HEIGHT = 420;
const MARGIN = 20;

/** The embedded data set as a zoomable, pannable scatter of thumbnails (PCA or UMAP of h). */
export function EmbeddingMap() {
  const map = useBufferSnapshot(evaluation, () => evaluation.map);
  const thumbsVersion = useFrameVersion(thumbnails);
  const projection = useAppStore((s) => s.evaluation.projection);
  const colourByLabel = useAppStore((s) => s.evaluation.colourByLabel);
  const selected = useAppStore((s) => s.evaluation.selected);
  const neighbours = useAppStore((s) => s.evaluation.neighbours);
  const host = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const atlas = useRef(new ThumbnailAtlas());
  const drag = useRef<{ x: number; y: number; moved: boolean } | null>(null);
  const width = Math.max(200, useElementWidth(host));
  const [view, setView] = useState<View>(IDENTITY_VIEW);
  const [hover, setHover] = useState<{ point: number; x: number; y: number } | null>(null);

  const useUmap = projection === 'umap' && !!map?.umap;
  // UMAP costs CPU that training could use: lay out a pass only while the map shows UMAP.
  const umapStatus = map?.umapStatus;
  useEffect(() => {
    if (projection === 'umap' && umapStatus === 'none') requestUmapLayout();
  }, [projection, umapStatus]);
  const coords = map ? (useUmap && map.umap ? map.umap : map.pca) : null;
  const count = map?.indices.length ?? 0;
  const bounds = useMemo(() => (coords ? boundsOf(coords, count) : null), [coords, count]);
  const screen = useMemo(
    () => (coords && bounds ? toScreen(coords, count, bounds, view, width, HEIGHT, MARGIN) : new Float32Array(0)),
    [coords, bounds, count, view, width],
  );
  const tile = tileSize(view.scale);
  const neighbourSet = useMemo(() => new Set(neighbours?.items.map((n) => n.index)), [neighbours]);

  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    void thumbsVersion;
    const images = map ? atlas.current.get() : null;
    const commands = drawMap({
      width,
      height: HEIGHT,
      screen,
      indices: map?.indices ?? [],
      labels: colourByLabel ? (map?.labels ?? null) : null,
      tile,
      selected,
      neighbours: neighbourSet,
      atlas: images && { columns: images.columns, size: images.size, count: thumbnails.count },
    });
    paintMap(element, width, HEIGHT, commands, images?.canvas ?? null);
  }, [map, screen, tile, width, colourByLabel, selected, neighbourSet, thumbsVersion]);

  // A native listener: React's wheel handlers are passive, and zooming must not scroll the page.
  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const rect = element.getBoundingClientRect();
      const factor = Math.exp(-event.deltaY * 0.002);
      setView((v) => zoomAt(v, factor, event.clientX - rect.left, event.clientY - rect.top, width, HEIGHT));
    };
    element.addEventListener('wheel', onWheel, { passive: false });
    return () => element.removeEventListener('wheel', onWheel);
  }, [width]);

  const pointAt = (event: PointerEvent<HTMLCanvasElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    const x = event.clientX - rect.left;
    const y = event.clientY - rect.top;
    return { x, y, point: hitTest(screen, x, y, tile / 2 + 2) };
  };

  const zoom = (factor: number) => setView((v) => zoomAt(v, factor, width / 2, HEIGHT / 2, width, HEIGHT));
  const hasLabels = !!map?.labels;

  return (
    <section className="embedding-map" aria-label="Embedding map">
      <h3>Embedding map{map ? ` (step ${map.step}, ${count} images)` : ''}</h3>
      <div className="map-toolbar">
        <fieldset className="segmented">
          <legend className="visually-hidden">Projection</legend>
          {(['pca', 'umap'] as const).map((p) => (
            <label key={p}>
              <input
                type="radio"
                name="map-projection"
                checked={projection === p}
                onChange={() => setMapProjection(p)}
              />
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
        <button type="button" onClick={() => zoom(1.5)}>
          Zoom in
        </button>
        <button type="button" onClick={() => zoom(1 / 1.5)}>
          Zoom out
        </button>
        <button type="button" onClick={() => setView(IDENTITY_VIEW)}>
          Reset view
        </button>
        <span className="muted small" data-testid="umap-status">
          {projection === 'umap' && map ? umapNote(map.umapStatus, map.umapMessage) : ''}
        </span>
      </div>
      <div className="map-canvas-host" ref={host}>
        <canvas
          ref={canvas}
          data-testid="embedding-map"
          data-points={count}
          data-step={map?.step ?? ''}
          data-projection={useUmap ? 'umap' : 'pca'}
          data-first-point={count > 0 ? `${screen[0]?.toFixed(1)},${screen[1]?.toFixed(1)}` : ''}
          style={{ width, height: HEIGHT }}
          tabIndex={0}
          role="img"
          aria-label={
            map
              ? `Map of ${count} images by ${useUmap ? 'UMAP' : 'PCA'} of their representations. Scroll, the buttons or + and − zoom; drag or the arrow keys pan; click an image for its neighbours.`
              : 'Embedding map: no data yet'
          }
          onKeyDown={(event) => {
            if (mapKey(event.key, setView, zoom)) event.preventDefault();
          }}
          onPointerDown={(event) => {
            drag.current = { x: event.clientX, y: event.clientY, moved: false };
            event.currentTarget.setPointerCapture?.(event.pointerId);
          }}
          onPointerMove={(event) => {
            const d = drag.current;
            if (d) {
              const dx = event.clientX - d.x;
              const dy = event.clientY - d.y;
              if (d.moved || Math.hypot(dx, dy) > 3) {
                d.moved = true;
                d.x = event.clientX;
                d.y = event.clientY;
                setView((v) => pan(v, dx, dy));
                setHover(null);
                return;
              }
            }
            const hit = pointAt(event);
            setHover(hit.point >= 0 ? hit : null);
          }}
          onPointerUp={(event) => {
            const d = drag.current;
            drag.current = null;
            if (d?.moved || !map) return;
            const hit = pointAt(event);
            if (hit.point >= 0) selectMapImage(map.indices[hit.point] ?? null);
          }}
          onPointerLeave={() => setHover(null)}
        />
        {hover && map && <MapHover map={map} point={hover.point} x={hover.x} y={hover.y} />}
        {!map && (
          <p className="map-placeholder">
            The map appears once the data set has been embedded: before the first step, then every few steps (set “Map
            every”).
          </p>
        )}
      </div>
      {map && hasLabels && colourByLabel && (
        <ul className="label-legend" aria-label="Label colours">
          {map.labelNames.map((name, i) => (
            <li key={name}>
              <span className="swatch" style={{ background: labelColour(i) }} />
              {name}
            </li>
          ))}
        </ul>
      )}
      {map && !hasLabels && <p className="muted small">No label colours: {map.labelReason}</p>}
      <NeighboursList />
    </section>
  );
}

const KEY_PAN = 40;

/** Keyboard pan and zoom of the map; true when the key was one of them. */
function mapKey(key: string, setView: (update: (v: View) => View) => void, zoom: (factor: number) => void): boolean {
  switch (key) {
    case 'ArrowLeft':
      setView((v) => pan(v, KEY_PAN, 0));
      return true;
    case 'ArrowRight':
      setView((v) => pan(v, -KEY_PAN, 0));
      return true;
    case 'ArrowUp':
      setView((v) => pan(v, 0, KEY_PAN));
      return true;
    case 'ArrowDown':
      setView((v) => pan(v, 0, -KEY_PAN));
      return true;
    case '+':
    case '=':
      zoom(1.5);
      return true;
    case '-':
      zoom(1 / 1.5);
      return true;
    case '0':
      setView(() => IDENTITY_VIEW);
      return true;
    default:
      return false;
  }
}

function umapNote(status: string, message: string): string {
  if (status === 'running') return 'Computing the UMAP layout off the main thread (PCA shown until it is ready)…';
  if (status === 'failed') return message;
  return '';
}
