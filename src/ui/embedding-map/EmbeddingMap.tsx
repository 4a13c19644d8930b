import { useEffect, useMemo, useRef, useState } from 'react';
import { evaluation, requestUmapLayout, selectMapImage, setMapSelection, thumbnails, useAppStore } from '../../store';
import { useBufferSnapshot } from '../hooks/useBufferSnapshot';
import { useElementWidth } from '../hooks/useElementWidth';
import { useFrameVersion } from '../hooks/useFrameVersion';
import { ImageSearch } from './ImageSearch';
import { LabelLegend, MapFilterBar } from './MapFilterBar';
import { MapHover } from './MapHover';
import { MapToolbar } from './MapToolbar';
import { BASE_TILE, drawMap, tileSize } from './map-drawing';
import { filterPoints } from './map-filter';
import { boundsOf, IDENTITY_VIEW, pan, toScreen, type View, zoomAt } from './map-view';
import { paintMap } from './paint-map';
import { ThumbnailAtlas } from './thumbnail-atlas';
import { type DragMode, useMapPointer } from './useMapPointer';
import './embedding-map.css';

const HEIGHT = 420;
const MARGIN = 20;
const NO_POINTS = new Float32Array(0);

/**
 * The embedded data set as a zoomable, pannable scatter of thumbnails (PCA or UMAP of h), with search by image,
 * a file-name and label filter, and lasso selection. Self-contained: it can be placed anywhere on the page.
 */
export function EmbeddingMap() {
  const map = useBufferSnapshot(evaluation, () => evaluation.map);
  const thumbsVersion = useFrameVersion(thumbnails);
  const projection = useAppStore((s) => s.evaluation.projection);
  const colourByLabel = useAppStore((s) => s.evaluation.colourByLabel);
  const search = useAppStore((s) => s.evaluation.search);
  const filter = useAppStore((s) => s.evaluation.mapFilter);
  const mapSelection = useAppStore((s) => s.evaluation.mapSelection);
  const host = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const atlas = useRef(new ThumbnailAtlas());
  const width = Math.max(200, useElementWidth(host));
  const [view, setView] = useState<View>(IDENTITY_VIEW);
  const [dragMode, setDragMode] = useState<DragMode>('pan');
  const [baseTile, setBaseTile] = useState(BASE_TILE);

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
    () => (coords && bounds ? toScreen(coords, count, bounds, view, width, HEIGHT, MARGIN) : NO_POINTS),
    [coords, bounds, count, view, width],
  );
  const tile = tileSize(view.scale, baseTile);
  // biome-ignore lint/correctness/useExhaustiveDependencies: paths arrive with the thumbnails (thumbsVersion)
  const visible = useMemo(() => {
    if (!map) return new Uint8Array(0);
    const paths = Array.from(map.indices, (index) => thumbnails.pathAt(index));
    return filterPoints(paths, map.labels, filter);
  }, [map, filter, thumbsVersion]);
  const neighbourSet = useMemo(() => new Set(search.result?.items.map((n) => n.index)), [search.result]);
  const selectionSet = useMemo(() => new Set(mapSelection), [mapSelection]);
  const selected = search.query?.kind === 'image' ? search.query.index : null;
  // A searched file is marked at its most similar image (it has no place of its own in the projection).
  const queryPoint =
    search.query?.kind === 'file' && search.result && map
      ? map.indices.indexOf(search.result.items[0]?.index ?? -1)
      : -1;
  const queryAt = useMemo(
    () => (queryPoint >= 0 ? { x: screen[2 * queryPoint] ?? 0, y: screen[2 * queryPoint + 1] ?? 0 } : null),
    [queryPoint, screen],
  );

  const pointer = useMapPointer({
    screen,
    tile,
    visible,
    mode: dragMode,
    setView,
    onPick: (point) => map && selectMapImage(map.indices[point] ?? null),
    onLasso: (points) => map && setMapSelection(points.map((p) => map.indices[p] ?? 0)),
  });

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
      selection: selectionSet,
      visible,
      queryAt,
      lasso: pointer.lasso,
      atlas: images && { columns: images.columns, size: images.size, count: thumbnails.count },
    });
    paintMap(element, width, HEIGHT, commands, images?.canvas ?? null);
  }, [
    map,
    screen,
    tile,
    width,
    colourByLabel,
    selected,
    neighbourSet,
    selectionSet,
    visible,
    queryAt,
    pointer.lasso,
    thumbsVersion,
  ]);

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

  const zoom = (factor: number) => setView((v) => zoomAt(v, factor, width / 2, HEIGHT / 2, width, HEIGHT));
  const hasLabels = !!map?.labels;
  const firstShown = visible.indexOf(1);
  const hover = pointer.hover;

  return (
    <section className="embedding-map" aria-label="Embedding map">
      <h3>Embedding map{map ? ` (step ${map.step}, ${count} images)` : ''}</h3>
      <MapToolbar
        hasLabels={hasLabels}
        dragMode={dragMode}
        onDragMode={setDragMode}
        baseTile={baseTile}
        onBaseTile={setBaseTile}
        zoom={zoom}
        reset={() => setView(IDENTITY_VIEW)}
        note={projection === 'umap' && map ? umapNote(map.umapStatus, map.umapMessage) : ''}
      />
      {map && <MapFilterBar map={map} visible={visible} />}
      <div className="map-canvas-host" ref={host}>
        <canvas
          ref={canvas}
          className={dragMode === 'lasso' ? 'lasso' : ''}
          data-testid="embedding-map"
          data-points={count}
          data-step={map?.step ?? ''}
          data-projection={useUmap ? 'umap' : 'pca'}
          data-tile={tile.toFixed(1)}
          data-first-point={
            firstShown >= 0 ? `${screen[2 * firstShown]?.toFixed(1)},${screen[2 * firstShown + 1]?.toFixed(1)}` : ''
          }
          data-query-point={queryAt ? `${queryAt.x.toFixed(1)},${queryAt.y.toFixed(1)}` : ''}
          style={{ width, height: HEIGHT }}
          tabIndex={0}
          role="img"
          aria-label={
            map
              ? `Map of ${count} images by ${useUmap ? 'UMAP' : 'PCA'} of their representations. Scroll, the buttons or + and − zoom; drag or the arrow keys pan; Shift+drag or “select (lasso)” selects; click an image to search with it.`
              : 'Embedding map: no data yet'
          }
          onKeyDown={(event) => {
            if (mapKey(event.key, setView, zoom)) event.preventDefault();
          }}
          {...pointer.handlers}
        />
        {hover && map && <MapHover map={map} point={hover.point} x={hover.x} y={hover.y} />}
        {!map && (
          <p className="map-placeholder">
            The map appears once the data set has been embedded: before the first step, then every few steps (set “Map
            every”).
          </p>
        )}
      </div>
      {map && <LabelLegend map={map} visible={visible} />}
      {map && !hasLabels && <p className="muted small">No labels: {map.labelReason}</p>}
      <ImageSearch />
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
