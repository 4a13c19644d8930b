/** Fine-tune actions: start, pause, resume, stop, try an image, download the classifier. */
import { buildClassifierZip, type ClassifierExportedEvent } from '../../client/classifier-zip';
import type { FineTuneConfig } from '../../protocol/fine-tune';
import { useAppStore } from '../app-store';
import { workerClient } from '../client-ref';
import { effects } from '../effects';
import type { FineTuneState } from './state';

function patch(update: Partial<FineTuneState>): void {
  useAppStore.setState((s) => ({ fineTune: { ...s.fineTune, ...update } }));
}

export function setFineTuneConfig(update: Partial<FineTuneConfig>): void {
  patch({ config: { ...useAppStore.getState().fineTune.config, ...update } });
}

export function startFineTune(): void {
  const client = workerClient();
  const requestId = client.nextRequestId();
  patch({ startRequestId: requestId, startError: '' });
  client.send({ type: 'fineTuneStart', requestId, config: useAppStore.getState().fineTune.config });
}

export function pauseFineTune(): void {
  workerClient().send({ type: 'fineTunePause' });
}

export function resumeFineTune(): void {
  workerClient().send({ type: 'fineTuneResume' });
}

export function stopFineTune(): void {
  workerClient().send({ type: 'fineTuneStop' });
}

/** Classifies one image with the fine-tuned classifier; the answer is the top classes with probabilities. */
export function classifyImage(file: File): void {
  const client = workerClient();
  const requestId = client.nextRequestId();
  patch({ classifyRequestId: requestId, classifyError: '' });
  client.send({ type: 'classifyImage', requestId, file });
}

export function exportClassifier(): void {
  const client = workerClient();
  const requestId = client.nextRequestId();
  patch({ exportRequestId: requestId, exportError: '' });
  client.send({ type: 'exportClassifier', requestId });
}

/** Builds and downloads the classifier archive (called by connectWorker). */
export function onClassifierExported(event: ClassifierExportedEvent): void {
  if (event.requestId !== useAppStore.getState().fineTune.exportRequestId) return;
  try {
    const { blob, filename, bytes } = buildClassifierZip(event);
    effects.downloadBlob(blob, filename);
    patch({ exportRequestId: null, lastExport: { filename, bytes } });
  } catch (error) {
    patch({ exportRequestId: null, exportError: error instanceof Error ? error.message : String(error) });
  }
}
