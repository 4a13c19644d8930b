/** A fake worker behind the real worker client, for store tests. */
import { createWorkerClient, type WorkerClient, type WorkerLike } from '../client/worker-client';
import type { Command, WorkerEvent } from '../protocol/messages';
import { resetStore } from './app-store';
import { connectWorker } from './connect';
import { addInputFiles } from './dataset/actions';
import { effects } from './effects';

export class FakeWorker implements WorkerLike {
  commands: Command[] = [];
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  onmessageerror: ((event: MessageEvent) => void) | null = null;
  postMessage(message: unknown) {
    this.commands.push(message as Command);
  }
  terminate() {}
  emit(data: WorkerEvent) {
    this.onmessage?.({ data } as MessageEvent);
  }
  crash(message: string) {
    this.onerror?.({ message, preventDefault() {} } as ErrorEvent);
  }
  last<T extends Command['type']>(type: T): Extract<Command, { type: T }> | undefined {
    return this.commands.filter((c): c is Extract<Command, { type: T }> => c.type === type).at(-1);
  }
}

export interface Harness {
  worker: FakeWorker;
  client: WorkerClient;
  downloads: { blob: Blob; filename: string }[];
}

/** Fresh store wired to a fresh fake worker; downloads are captured instead of performed. */
export function setUpStore(): Harness {
  resetStore();
  const worker = new FakeWorker();
  const client = createWorkerClient(() => worker);
  connectWorker(client);
  const downloads: Harness['downloads'] = [];
  effects.downloadBlob = (blob, filename) => downloads.push({ blob, filename });
  return { worker, client, downloads };
}

/** Answers the auto-configure probe a load started with a cancelled result: no pick, Start not held. */
export function endProbe(h: Harness): void {
  const probe = h.worker.last('probeConfig');
  if (!probe) return;
  h.worker.emit({
    type: 'configProbeDone',
    requestId: probe.requestId,
    result: {
      backend: 'cpu',
      limits: { backend: 'cpu', maxTensorBytes: 0, budgetBytes: 0, source: '' },
      data: { imageCount: 0, storeSize: 0 },
      measurements: [],
      failures: [],
      stopReason: 'Cancelled.',
      cancelled: true,
      elapsedSeconds: 0,
    },
  });
}

export function fakeFiles(n: number, folder = 'set'): { file: File; path: string }[] {
  return Array.from({ length: n }, (_, i) => ({ file: new File(['x'], `${i}.png`), path: `${folder}/${i}.png` }));
}

/**
 * Loads `n` fake images as a person's files would: the store sends addImages, the fake worker answers that
 * all but `skipped` were added (the data set then holds `imageCount`). Returns the command.
 */
export function ingest(h: Harness, n: number, skipped: { path: string; reason: string }[] = [], imageCount = n) {
  addInputFiles(fakeFiles(n));
  const command = h.worker.last('addImages');
  if (!command) throw new Error('no addImages sent');
  h.worker.emit({
    type: 'ingestDone',
    requestId: command.requestId,
    imageCount,
    added: n - skipped.length,
    skipped,
    cancelled: false,
  });
  return command;
}
