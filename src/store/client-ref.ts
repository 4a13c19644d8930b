/** The worker client the store's actions talk to: the app's singleton, or a fake set by tests. */
import { getWorkerClient, type WorkerClient } from '../client/worker-client';

let current: WorkerClient | null = null;

export function workerClient(): WorkerClient {
  current ??= getWorkerClient();
  return current;
}

export function setWorkerClient(client: WorkerClient | null): void {
  current = client;
}
