import { cancelLoading, isLoading, useAppStore, useShallow } from '../../store';

/** Progress of whatever is loading (folder walk, sample download, decoding), with a Cancel button. */
export function LoadProgress() {
  const { walking, sample, ingest, loading } = useAppStore(
    useShallow((s) => ({
      walking: s.dataset.walking,
      sample: s.dataset.sample,
      ingest: s.dataset.ingest,
      loading: isLoading(s.dataset),
    })),
  );
  if (!loading) return null;
  return (
    <div className="load-progress">
      {walking && <p>Reading the dropped folder… {walking.found} files found</p>}
      {sample && (
        <div className="progress-line">
          <progress aria-label="Downloading sample images" max={sample.total || 1} value={sample.loaded} />
          <span>
            Downloading sample images {sample.loaded} / {sample.total || '…'}
          </span>
        </div>
      )}
      {ingest && (
        <div className="progress-line">
          <progress
            data-testid="ingest-progress"
            aria-label="Decoding images"
            max={ingest.total || 1}
            value={ingest.processed}
          />
          <span>
            Decoding {ingest.processed} / {ingest.total}
            {ingest.skipped > 0 && ` (${ingest.skipped} skipped)`}
          </span>
        </div>
      )}
      <button type="button" className="secondary" onClick={cancelLoading}>
        Cancel loading
      </button>
    </div>
  );
}
