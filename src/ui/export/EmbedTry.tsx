import { canEmbed, downloadEmbedding, embedImage, useAppStore } from '../../store';
import { ImageFileInput } from '../common/ImageFileInput';

/** Embed one image with the trained encoder f, and download the vector. */
export function EmbedTry() {
  const enabled = useAppStore(canEmbed);
  const pending = useAppStore((s) => s.exporting.embedRequestId !== null);
  const embedding = useAppStore((s) => s.exporting.embedding);
  return (
    <div className="embed-try">
      <h3>Try the encoder on an image</h3>
      <div className="field">
        <label htmlFor="embed-input">Embed an image</label>
        <ImageFileInput id="embed-input" testId="embed-input" disabled={!enabled} onFile={embedImage} />
      </div>
      {!enabled && !pending && <p className="muted">Waiting for a trained encoder (train at least one step).</p>}
      {pending && <p className="muted">Embedding…</p>}
      {embedding && (
        <div className="embedding" data-testid="embedding-result">
          <p>
            <code>{embedding.name}</code> → {embedding.values.length}-dimensional representation h. First 8 values:
          </p>
          <code className="vector">
            [
            {embedding.values
              .slice(0, 8)
              .map((v) => v.toFixed(4))
              .join(', ')}
            , …]
          </code>
        </div>
      )}
      {embedding && (
        <button type="button" className="secondary" onClick={downloadEmbedding}>
          Download embedding (.json)
        </button>
      )}
    </div>
  );
}
