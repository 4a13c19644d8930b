import { WORKER_CRASH_NAME } from '../client/worker-client';
import type { WorkerEvent } from '../protocol/messages';

export type ErrorEvent = Extract<WorkerEvent, { type: 'error' }>;

/** The synthetic error the worker client emits when the worker fails to load or crashes. */
export function isWorkerCrash(event: WorkerEvent): boolean {
  return event.type === 'error' && event.error.name === WORKER_CRASH_NAME;
}
