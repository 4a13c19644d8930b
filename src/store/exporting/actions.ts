/** Export actions: the encoder archive, and embedding one image with the trained encoder. */
import { safeFileName } from '../../client/download';
import { buildEncoderZip, type ExportedEvent } from '../../client/encoder-zip';
import { buildRecipeZip } from '../../client/recipe/recipe-zip';
import { useAppStore } from '../app-store';
import { workerClient } from '../client-ref';
import { effects } from '../effects';
import { reportError } from '../errors/actions';
import type { ExportState } from './state';

function patch(update: Partial<ExportState>): void {
  useAppStore.setState((s) => ({ exporting: { ...s.exporting, ...update } }));
}

/** Ask the worker for the encoder; the 'exported' event builds and downloads the zip. */
export function exportEncoder(): void {
  requestExport('encoder');
}

/** Ask the worker for weights and optimizer state; the 'exported' event builds the PyTorch recipe folder. */
export function exportRecipe(): void {
  requestExport('recipe');
}

function requestExport(exportKind: ExportState['exportKind']): void {
  const client = workerClient();
  const requestId = client.nextRequestId();
  patch({ exportRequestId: requestId, exportKind });
  client.send({ type: 'export', requestId, withOptimizer: exportKind === 'recipe' });
}

/** Handles the worker's 'exported' answer (called by connectWorker). */
export function onExported(event: ExportedEvent): void {
  const { exportRequestId, exportKind } = useAppStore.getState().exporting;
  if (event.requestId !== exportRequestId) return;
  try {
    const storeSize = useAppStore.getState().dataset.dataConfig.storeSize;
    const { blob, filename, bytes } =
      exportKind === 'recipe' ? buildRecipeZip(event, storeSize) : buildEncoderZip(event);
    effects.downloadBlob(blob, filename);
    patch({ exportRequestId: null, lastExport: { filename, bytes } });
  } catch (error) {
    patch({ exportRequestId: null });
    reportError(exportKind === 'recipe' ? 'Building the PyTorch folder' : 'Building the encoder archive', error);
  }
}

export function embedImage(file: File): void {
  const client = workerClient();
  const requestId = client.nextRequestId();
  patch({ embedRequestId: requestId, embedding: null });
  client.send({ type: 'embedImage', requestId, file });
}

export function embeddingFileName(name: string): string {
  return `embedding-${safeFileName(name)}.json`;
}

export function downloadEmbedding(): void {
  const embedding = useAppStore.getState().exporting.embedding;
  if (!embedding) return;
  const json = JSON.stringify({ name: embedding.name, embedding: embedding.values });
  effects.downloadBlob(new Blob([json], { type: 'application/json' }), embeddingFileName(embedding.name));
}
