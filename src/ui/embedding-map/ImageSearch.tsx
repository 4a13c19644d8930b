import { useEffect, useRef, useState } from 'react';
import {
  type EvaluationState,
  evaluation,
  searchByFile,
  searchQueryFile,
  selectMapImage,
  thumbnails,
  useAppStore,
} from '../../store';
import { ImageFileInput } from '../common/ImageFileInput';
import { useBufferSnapshot } from '../hooks/useBufferSnapshot';
import { Thumb } from './Thumb';

/** The rule the page-wide drop follows (hooks/usePageDrop.ts), said where search is offered. */
export const DROP_RULE =
  'Drop one image anywhere on the page, or choose it here, to find the images most like it. Dropping two or more images, or a folder, adds them to the data set instead.';

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Search by image: an image of the set (clicked on the map or in the grid) or a file dropped or chosen, and its
 * nearest images on the map by cosine similarity on h, with thumbnails, file names and similarities.
 */
export function ImageSearch() {
  const { query, requestId, result, error } = useAppStore((s) => s.evaluation.search);
  const mapReady = useBufferSnapshot(evaluation, () => evaluation.map !== null);
  const section = useRef<HTMLElement>(null);
  // A search started from the thumbnail grid happens elsewhere on the page: bring its answer into view.
  useEffect(() => {
    if (query) section.current?.scrollIntoView?.({ block: 'nearest' });
  }, [query]);
  return (
    <section className="image-search" aria-label="Search by image" data-testid="image-search" ref={section}>
      <h4>Search by image</h4>
      <div className="field search-input">
        <label htmlFor="search-input">Find images like…</label>
        <ImageFileInput id="search-input" testId="search-input" disabled={!mapReady} onFile={searchByFile} />
      </div>
      <p className="muted small">
        {mapReady
          ? `${DROP_RULE} Clicking an image on the map or among the thumbnails searches with it too.`
          : 'Search is ready once the map has been computed (train at least one step, or resume a run).'}
      </p>
      {requestId !== null && query?.kind === 'file' && (
        <p className="muted small" role="status" data-testid="search-progress">
          Embedding {query.name} with the encoder… During a run this waits for the current training step.
        </p>
      )}
      {error && (
        <p className="error-text small" role="alert" data-testid="search-error">
          {error}
        </p>
      )}
      {query && result && <SearchResults query={query} result={result} />}
    </section>
  );
}

type Search = EvaluationState['search'];

function SearchResults({
  query,
  result,
}: {
  query: NonNullable<Search['query']>;
  result: NonNullable<Search['result']>;
}) {
  const queryName = query.kind === 'image' ? thumbnails.pathAt(query.index) || `image ${query.index}` : query.name;
  const steps =
    result.queryStep === result.mapStep
      ? `encoder at step ${result.mapStep}`
      : `map from the encoder at step ${result.mapStep}, query from step ${result.queryStep}: similarities mix two encoders until the next map`;
  return (
    <section
      className="neighbours"
      aria-label="Nearest images"
      data-testid="neighbours"
      data-index={query.kind === 'image' ? query.index : ''}
      data-query={queryName}
    >
      <p className="small">
        The {result.items.length} images most like <strong>{baseName(queryName)}</strong> among the {result.searched} on
        the map, by cosine similarity of their representations h ({steps}).
        {query.kind === 'image' ? ' The image itself is left out.' : ' The ◇ on the map marks its most similar image.'}
      </p>
      <ol className="neighbours-row">
        <li className="neighbour query">
          {query.kind === 'image' ? (
            <Thumb index={query.index} display={64} title={queryName} />
          ) : (
            <QueryFile name={query.name} />
          )}
          <span className="small">query</span>
          <span className="neighbour-name" title={queryName}>
            {baseName(queryName)}
          </span>
        </li>
        {result.items.map((n) => {
          const path = thumbnails.pathAt(n.index) || `image ${n.index}`;
          return (
            <li
              key={n.index}
              className="neighbour"
              data-testid="neighbour"
              data-index={n.index}
              data-similarity={n.similarity}
            >
              <button
                type="button"
                className="neighbour-button"
                aria-label={`${path}, similarity ${n.similarity.toFixed(4)}: find images like it`}
                onClick={() => selectMapImage(n.index)}
              >
                <Thumb index={n.index} display={56} title={path} />
              </button>
              <span className="small similarity">{n.similarity.toFixed(4)}</span>
              <span className="neighbour-name" title={path}>
                {baseName(path)}
              </span>
            </li>
          );
        })}
      </ol>
      <button type="button" onClick={() => selectMapImage(null)}>
        Clear search
      </button>
    </section>
  );
}

/** The searched file itself, as the browser decodes it. */
function QueryFile({ name }: { name: string }) {
  const [url, setUrl] = useState<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new name is a new file
  useEffect(() => {
    const file = searchQueryFile();
    if (!file) return;
    const made = URL.createObjectURL(file);
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [name]);
  return url ? (
    <img src={url} alt={name} width={64} height={64} className="query-file" />
  ) : (
    <span className="query-file">{name}</span>
  );
}
