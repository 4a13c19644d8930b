import { cancelBundle, canExport, downloadBundle, downloadMetricsCsv, useAppStore } from '../../store';
import { formatBytes, formatCount } from '../format';
import { collectChartImages } from './chart-images';

/** The export bundle: encoder, embeddings of every image, report, README and checkpoint in one zip. */
export function BundleDownload() {
  const trained = useAppStore(canExport);
  const training = useAppStore((s) => ['preparing', 'running', 'stopping'].includes(s.training.phase));
  const bundle = useAppStore((s) => s.runs.bundle);
  const last = useAppStore((s) => s.runs.lastBundle);
  const hasMetrics = useAppStore((s) => s.training.step > 0);
  return (
    <div className="bundle-download">
      <div className="button-row">
        <button
          type="button"
          disabled={!trained || training || bundle !== null}
          onClick={() => downloadBundle(collectChartImages)}
        >
          Download bundle (.zip)
        </button>
        <button type="button" disabled={!hasMetrics} onClick={downloadMetricsCsv}>
          Download metrics (.csv)
        </button>
      </div>
      {bundle && (
        <div className="bundle-progress" data-testid="bundle-progress">
          <progress max={Math.max(1, bundle.total)} value={bundle.done} />
          <span>
            Embedding images {formatCount(bundle.done)} / {formatCount(bundle.total)}…
          </span>
          <button type="button" onClick={cancelBundle}>
            Cancel bundle
          </button>
        </div>
      )}
      {!bundle && last && (
        <p className="muted" data-testid="bundle-result">
          Downloaded {last.filename} ({formatBytes(last.bytes)}).
        </p>
      )}
      <p>
        The bundle adds <code>embeddings.npy</code> (every image through the encoder) with <code>files.csv</code>, a run
        report with the charts, a README with loading snippets (browser, Node, Python/Keras) and the checkpoint to
        continue training later. {training && 'Pause or stop training first.'}
      </p>
    </div>
  );
}
