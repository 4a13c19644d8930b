import { classifyImage, exportClassifier, useAppStore } from '../../store';
import { ImageFileInput } from '../common/ImageFileInput';
import { formatBytes } from '../format';

const TOP = 5;

/** Try the classifier on a chosen or dropped image, and download it. */
export function ClassifyTry() {
  const ready = useAppStore((s) => s.fineTune.status.hasClassifier);
  const active = useAppStore((s) => ['preparing', 'running'].includes(s.fineTune.status.phase));
  const pending = useAppStore((s) => s.fineTune.classifyRequestId !== null);
  const classified = useAppStore((s) => s.fineTune.classified);
  const classifyError = useAppStore((s) => s.fineTune.classifyError);
  const exporting = useAppStore((s) => s.fineTune.exportRequestId !== null);
  const exportError = useAppStore((s) => s.fineTune.exportError);
  const lastExport = useAppStore((s) => s.fineTune.lastExport);
  const enabled = ready && !active;
  return (
    <div className="classify-try">
      <h4>Try it</h4>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: the drop target wraps a labelled file input */}
      <div
        className="classify-drop"
        data-testid="classify-drop"
        onDragOver={(e) => {
          if (enabled) e.preventDefault();
        }}
        onDrop={(e) => {
          e.preventDefault();
          e.stopPropagation();
          const file = e.dataTransfer.files[0];
          if (enabled && file) classifyImage(file);
        }}
      >
        <label htmlFor="classify-input">Classify an image (choose, or drop it here)</label>
        <ImageFileInput id="classify-input" disabled={!enabled} onFile={classifyImage} />
      </div>
      {!ready && <p className="muted small">Waiting for a fine-tuned classifier.</p>}
      {ready && active && <p className="muted small">Pause or let fine-tuning finish to try it.</p>}
      {pending && <p className="muted small">Classifying…</p>}
      {classifyError && (
        <p className="error-text" role="alert">
          {classifyError}
        </p>
      )}
      {classified && (
        <ol
          className="class-probabilities"
          data-testid="classify-result"
          data-name={classified.name}
          data-probabilities={JSON.stringify(classified.ranked)}
        >
          {classified.ranked.slice(0, TOP).map(({ label, probability }) => (
            <li key={label}>
              <span className="class-label">{label}</span>
              <span className="class-bar" style={{ width: `${Math.round(probability * 100)}%` }} />
              <span className="class-probability">{(probability * 100).toFixed(1)}%</span>
            </li>
          ))}
        </ol>
      )}
      <div className="button-row">
        <button type="button" disabled={!enabled || exporting} onClick={exportClassifier}>
          {exporting ? 'Packing the classifier…' : 'Download classifier (.zip)'}
        </button>
      </div>
      <p className="muted small">
        A TensorFlow.js LayersModel giving each label&apos;s probability, with <code>labels.json</code>,{' '}
        <code>metadata.json</code> and a README on loading it in the browser and in Node.
        {lastExport && ` Downloaded ${lastExport.filename} (${formatBytes(lastExport.bytes)}).`}
      </p>
      {exportError && (
        <p className="error-text" role="alert">
          The classifier could not be downloaded: {exportError}
        </p>
      )}
    </div>
  );
}
