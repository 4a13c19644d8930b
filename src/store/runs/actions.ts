/** Saved runs: list, resume, delete, download/import a checkpoint, and the export bundle. */
import { buildBundle } from '../../client/bundle/build-bundle';
import { metricsCsv } from '../../client/bundle/metrics-csv';
import { type ImportedRun, runFromImport } from '../../client/bundle/read-import';
import type { ChartImage } from '../../client/bundle/run-report';
import { metrics } from '../../client/metrics-buffer';
import type { WorkerEvent } from '../../protocol/messages';
import { useAppStore } from '../app-store';
import { workerClient } from '../client-ref';
import { effects } from '../effects';
import { reportError } from '../errors/actions';
import type { RunsState } from './state';

export type { ChartImage } from '../../client/bundle/run-report';

function patch(update: Partial<RunsState>): void {
  useAppStore.setState((s) => ({ runs: { ...s.runs, ...update } }));
}

export function listRuns(): void {
  workerClient().send({ type: 'listRuns' });
}

/** One click after a reload: the worker restores the images and the run, then trains on. */
export function resumeRun(runId: string): void {
  metrics.reset();
  patch({ resuming: runId });
  workerClient().send({ type: 'resumeRun', runId });
}

export function deleteRun(runId: string): void {
  workerClient().send({ type: 'deleteRun', runId });
}

export function downloadCheckpoint(runId: string): void {
  const client = workerClient();
  const requestId = client.nextRequestId();
  patch({ checkpointRequestId: requestId });
  client.send({ type: 'downloadCheckpoint', requestId, runId });
}

/** A bundle or PyTorch checkpoint (.zip) or checkpoint (.simclr) picked by the person; refused here when it is none. */
export async function importFile(file: File): Promise<void> {
  let imported: ImportedRun;
  try {
    imported = runFromImport(file.name, new Uint8Array(await file.arrayBuffer()));
  } catch (error) {
    reportError(`Importing ${file.name}`, error);
    return;
  }
  const client = workerClient();
  const requestId = client.nextRequestId();
  patch({ importRequestId: requestId });
  metrics.reset();
  if (imported.kind === 'recipe') {
    const { files } = imported;
    client.send({ type: 'importRecipe', requestId, name: file.name, files }, [
      files.encoder,
      files.head,
      files.optimizer,
    ]);
    return;
  }
  const bytes = imported.bytes.slice().buffer;
  client.send({ type: 'importCheckpoint', requestId, name: file.name, bytes }, [bytes]);
}

/** The per-step metrics on screen as CSV. */
export function metricsCsvText(): string {
  return metricsCsv(metrics.loss.toArrays(), metrics.learningRate.toArrays());
}

export function downloadMetricsCsv(): void {
  const step = metrics.loss.last()?.step ?? 0;
  effects.downloadBlob(new Blob([metricsCsvText()], { type: 'text/csv' }), `simclr-metrics-step${step}.csv`);
}

type Exported = Extract<WorkerEvent, { type: 'exported' }>;
type Embedded = Extract<WorkerEvent, { type: 'datasetEmbedded' }>;
let pending: { exported: Exported | null; embedded: Embedded | null; charts: () => Promise<ChartImage[]> } | null =
  null;

/** Encoder + embeddings of every image + report + README + checkpoint, as one zip. */
export function downloadBundle(charts: () => Promise<ChartImage[]>): void {
  const client = workerClient();
  const exportRequestId = client.nextRequestId();
  const embedRequestId = client.nextRequestId();
  pending = { exported: null, embedded: null, charts };
  patch({ bundle: { exportRequestId, embedRequestId, done: 0, total: useAppStore.getState().dataset.imageCount } });
  client.send({ type: 'export', requestId: exportRequestId, withOptimizer: false });
  client.send({ type: 'embedDataset', requestId: embedRequestId });
}

export function cancelBundle(): void {
  workerClient().send({ type: 'cancelEmbedDataset' });
}

/** Worker answers that concern the runs slice beyond its reducer (called by connectWorker). */
export function onRunsEvent(event: WorkerEvent): void {
  const state = useAppStore.getState().runs;
  switch (event.type) {
    case 'runRestored':
      useAppStore.setState((s) => ({
        training: { ...s.training, config: structuredClone(event.config) },
      }));
      return;
    case 'checkpointFile':
      if (event.requestId !== state.checkpointRequestId) return;
      patch({ checkpointRequestId: null });
      effects.downloadBlob(new Blob([event.bytes], { type: 'application/octet-stream' }), event.name);
      return;
    case 'exported':
      if (!pending || event.requestId !== state.bundle?.exportRequestId) return;
      pending.exported = event;
      void finishBundle();
      return;
    case 'datasetEmbedded':
      if (!pending || event.requestId !== state.bundle?.embedRequestId) return;
      if (event.cancelled) {
        pending = null;
        patch({ bundle: null });
        return;
      }
      pending.embedded = event;
      void finishBundle();
      return;
    default:
      return;
  }
}

async function finishBundle(): Promise<void> {
  const parts = pending;
  if (!parts?.exported || !parts.embedded) return;
  pending = null;
  try {
    const { exported, embedded } = parts;
    const charts = await parts.charts().catch(() => []);
    const { blob, filename, bytes } = buildBundle({
      modelJson: exported.modelJson,
      weights: exported.weights,
      pytorch: exported.pytorch,
      metadata: exported.metadata,
      embeddings: embedded.embeddings,
      count: embedded.count,
      dim: embedded.dim,
      paths: embedded.paths,
      datasetFingerprint: embedded.datasetFingerprint,
      checkpoint: embedded.checkpoint,
      metricsCsv: metricsCsvText(),
      charts,
    });
    effects.downloadBlob(blob, filename);
    patch({ bundle: null, lastBundle: { filename, bytes } });
  } catch (error) {
    patch({ bundle: null });
    reportError('Building the bundle', error);
  }
}
