/** Dataset actions: hand files to the worker, load the sample set, cancel, clear. */
import { type DroppedItem, filesFromFileList, walkDroppedItems } from '../../client/folder-walker';
import { loadSampleImages as fetchSampleImages } from '../../client/sample-images';
import type { InputFile, SkippedFile } from '../../protocol/messages';
import { useAppStore } from '../app-store';
import { workerClient } from '../client-ref';
import { reportError } from '../errors/actions';
import { isRunActive } from '../training/state';
import { beginIngest, isLoading } from './state';

export const STORE_SIZE_MIN = 8;
export const STORE_SIZE_MAX = 1024;

let abortLoading: AbortController | null = null;

function patch(update: Partial<ReturnType<typeof useAppStore.getState>['dataset']>): void {
  useAppStore.setState((s) => ({ dataset: { ...s.dataset, ...update } }));
}

export function storeSizeProblem(px: number): string | null {
  if (!Number.isInteger(px) || px < STORE_SIZE_MIN || px > STORE_SIZE_MAX)
    return `Stored resolution must be a whole number between ${STORE_SIZE_MIN} and ${STORE_SIZE_MAX} px.`;
  return null;
}

export function setStoreSize(storeSize: number): void {
  patch({ dataConfig: { ...useAppStore.getState().dataset.dataConfig, storeSize } });
}

/** Why images cannot be added right now, or null. */
function addBlocker(): string | null {
  const { dataset, training } = useAppStore.getState();
  if (isRunActive(training.phase)) return 'Stop the training run before adding images.';
  if (isLoading(dataset)) return 'Images are still loading: wait for them, or press "Cancel loading" first.';
  return storeSizeProblem(dataset.dataConfig.storeSize);
}

/** Send files to the worker for decoding; `clientSkipped` are files that could not even be read. */
export function addInputFiles(files: InputFile[], clientSkipped: readonly SkippedFile[] = []): void {
  const { dataset } = useAppStore.getState();
  if (files.length === 0) {
    patch({
      walking: null,
      sample: null,
      skipped: [...dataset.skipped, ...clientSkipped],
      lastResult: 'No files found in what was chosen or dropped.',
    });
    return;
  }
  const client = workerClient();
  const requestId = client.nextRequestId();
  useAppStore.setState((s) => ({ dataset: beginIngest(s.dataset, requestId, files.length, clientSkipped) }));
  const first = files.slice(0, HANDOFF_CHUNK);
  client.send({ type: 'addImages', requestId, files: first, total: files.length, data: { ...dataset.dataConfig } });
  void handOffRest(requestId, files);
}

/**
 * Files go to the worker a chunk at a time with a pause between chunks: structured-cloning File objects
 * costs about 0.2 ms each, so 50,000 in one message would freeze the page for seconds.
 */
const HANDOFF_CHUNK = 1000;

async function handOffRest(requestId: number, files: InputFile[]): Promise<void> {
  for (let start = HANDOFF_CHUNK; start < files.length; start += HANDOFF_CHUNK) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    // Cancelled, finished or failed: the worker no longer wants the rest.
    if (useAppStore.getState().dataset.ingest?.requestId !== requestId) return;
    workerClient().send({ type: 'addImageFiles', requestId, files: files.slice(start, start + HANDOFF_CHUNK) });
  }
}

/** Files from an `<input type=file>` (with or without webkitdirectory). */
export function addFileList(files: ArrayLike<File>): void {
  const blocker = addBlocker();
  if (blocker) {
    reportError('Adding images', new Error(blocker));
    return;
  }
  addInputFiles(filesFromFileList(files));
}

/** What a drop gave (captured synchronously in the drop handler): folders are walked recursively. */
export async function addDroppedItems(items: DroppedItem[]): Promise<void> {
  const blocker = addBlocker();
  if (blocker) {
    reportError('Dropped files', new Error(blocker));
    return;
  }
  if (items.length === 0) return;
  abortLoading = new AbortController();
  const { signal } = abortLoading;
  patch({ walking: { found: 0 } });
  try {
    const { files, failures } = await walkDroppedItems(items, {
      signal,
      onProgress: (found) => {
        if (found % 50 === 0) patch({ walking: { found } });
      },
    });
    addInputFiles(files, failures);
  } catch (error) {
    patch({ walking: null });
    if (!signal.aborted) reportError('Reading the dropped folder', error);
  }
}

/** Download the bundled Fashion-MNIST sample and add it. */
export async function loadSampleImages(): Promise<void> {
  const blocker = addBlocker();
  if (blocker) {
    reportError('Sample images', new Error(blocker));
    return;
  }
  abortLoading = new AbortController();
  const { signal } = abortLoading;
  patch({ sample: { loaded: 0, total: 0 } });
  try {
    const { files } = await fetchSampleImages({
      signal,
      onProgress: (loaded, total) => {
        if (loaded % 20 === 0 || loaded === total) patch({ sample: { loaded, total } });
      },
    });
    addInputFiles(files);
  } catch (error) {
    patch({ sample: null });
    if (!signal.aborted) reportError('Loading the sample images', error);
  }
}

/** Stop whatever is loading: the folder walk, the sample download, or the worker's decoding. */
export function cancelLoading(): void {
  abortLoading?.abort();
  abortLoading = null;
  const { dataset } = useAppStore.getState();
  if (dataset.walking || dataset.sample) patch({ walking: null, sample: null, lastResult: 'Loading cancelled.' });
  if (dataset.ingest) workerClient().send({ type: 'cancelIngest' });
}

export function clearImages(): void {
  if (isRunActive(useAppStore.getState().training.phase)) {
    reportError('Clear images', new Error('Stop the training run before clearing the images.'));
    return;
  }
  workerClient().send({ type: 'clearImages' });
}
