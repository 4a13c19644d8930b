import { canExport, exportEncoder, exportRecipe, useAppStore } from '../../store';
import { Panel } from '../common/Panel';
import { formatBytes } from '../format';
import { BundleDownload } from '../runs/BundleDownload';
import { EmbedTry } from './EmbedTry';
import './export.css';

function useExportStatus(): string {
  return useAppStore((s) => {
    if (s.exporting.exportRequestId !== null)
      return s.exporting.exportKind === 'recipe' ? 'Packing the PyTorch folder…' : 'Packing the encoder…';
    if (s.exporting.lastExport)
      return `Downloaded ${s.exporting.lastExport.filename} (${formatBytes(s.exporting.lastExport.bytes)}).`;
    if (canExport(s)) return 'Ready: download the encoder, or try it on an image.';
    return 'Waiting for a trained encoder: train at least one step in step 2.';
  });
}

export function ExportPanel() {
  const enabled = useAppStore(canExport);
  // Weights and optimizer state are read between steps: the recipe waits for a paused or stopped run.
  const training = useAppStore((s) => ['preparing', 'running', 'stopping'].includes(s.training.phase));
  const status = useExportStatus();
  return (
    <Panel step={3} title="Export" status={status} className="export-panel">
      <div className="export-layout">
        <div className="export-download">
          <button type="button" className="primary" disabled={!enabled} onClick={exportEncoder}>
            Download encoder (.zip)
          </button>
          <p>
            The zip holds the encoder f only, as a TensorFlow.js LayersModel (<code>model.json</code> +{' '}
            <code>weights.bin</code>) with <code>metadata.json</code> (input size, normalization, settings); the
            projection head g used by the contrastive loss is discarded. The README explains how to load it.
          </p>
          <BundleDownload />
          <div className="button-row">
            <button type="button" disabled={!enabled || training} onClick={exportRecipe}>
              Continue on GPUs (PyTorch)
            </button>
          </div>
          <p>
            A folder (zip) with <code>train.py</code>, this run's <code>config.json</code>, the file list, the weights
            and optimizer state: <code>torchrun --nproc_per_node=N train.py --data DIR</code> continues this run with
            DistributedDataParallel from the step reached here; its checkpoints come back through Import.{' '}
            {training && 'Pause or stop training first.'}
          </p>
        </div>
        <EmbedTry />
      </div>
    </Panel>
  );
}
