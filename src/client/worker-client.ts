/**
 * The only code that creates the training Worker. A module singleton with a typed command/event API.
 *
 * A worker that fails to load or crashes becomes a visible `error` event (context `WORKER_CRASH_CONTEXT`)
 * delivered to every subscriber, so the UI shows an error instead of waiting forever.
 */
import type { RememberedBackend } from '../protocol/backend-comparison';
import type { BackendChoice, KernelChoice } from '../protocol/config';
import type { Command, WorkerEvent } from '../protocol/messages';
import { backendMemory } from './backend-memory';

export type WorkerEventListener = (event: WorkerEvent) => void;

/** The part of `Worker` the client uses (a fake in tests). */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  terminate(): void;
  onmessage: ((event: MessageEvent) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  onmessageerror: ((event: MessageEvent) => void) | null;
}

export interface WorkerClient {
  /** Create the worker (if not yet) and send it `init`; later commands also start it on demand. */
  start(): void;
  /** Post a command; `transfer` lists buffers to move rather than copy. */
  send(command: Command, transfer?: Transferable[]): void;
  /** Listen to every worker event; returns the unsubscribe function. */
  subscribe(listener: WorkerEventListener): () => void;
  /** A fresh id for a command that expects an answer. */
  nextRequestId(): number;
  /** Whether the worker has crashed (commands are then dropped and reported). */
  readonly crashed: boolean;
  /** Hard reset: terminates the worker. */
  terminate(): void;
}

/** Context of the synthetic error event emitted when the worker cannot load or crashes. */
export const WORKER_CRASH_CONTEXT = 'Training worker';
export const WORKER_CRASH_NAME = 'WorkerCrash';

const BACKENDS: readonly BackendChoice[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];

/** Backend requested by the URL query `?backend=webgpu|webgl|wasm|cpu`; 'auto' when absent or unknown. */
export function backendFromQuery(search: string): BackendChoice {
  const value = new URLSearchParams(search).get('backend');
  return BACKENDS.find((b) => b === value) ?? 'auto';
}

/** Kernels requested by the URL query `?kernels=stock` (tfjs's own only); ours otherwise. */
export function kernelsFromQuery(search: string): KernelChoice {
  return new URLSearchParams(search).get('kernels') === 'stock' ? 'stock' : 'custom';
}

export function createWorkerClient(
  createWorker: () => WorkerLike,
  backend: BackendChoice = 'auto',
  kernels: KernelChoice = 'custom',
  /** Read when the worker starts: the backend remembered for this browser (client/backend-memory.ts). */
  remembered: () => RememberedBackend | null = () => null,
): WorkerClient {
  const listeners = new Set<WorkerEventListener>();
  let requestId = 0;
  let crashed = false;
  let worker: WorkerLike | null = null;

  const emit = (event: WorkerEvent): void => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        // One faulty listener must not starve the others.
        console.error('worker event listener failed', error);
      }
    }
  };

  const crash = (message: string): void => {
    crashed = true;
    emit({
      type: 'error',
      requestId: null,
      context: WORKER_CRASH_CONTEXT,
      error: { name: WORKER_CRASH_NAME, message: `${message} Reload the page to start again.` },
    });
  };

  const ensureWorker = (): WorkerLike | null => {
    if (crashed) return null;
    if (worker) return worker;
    try {
      worker = createWorker();
    } catch (error) {
      crash(`The training worker could not be created: ${error instanceof Error ? error.message : String(error)}.`);
      return null;
    }
    worker.onmessage = (event) => emit(event.data as WorkerEvent);
    worker.onerror = (event) => {
      event.preventDefault?.();
      const where = event.filename ? ` (${event.filename}:${event.lineno})` : '';
      crash(
        event.message
          ? `The training worker crashed: ${event.message}${where}.`
          : 'The training worker failed to load or crashed.',
      );
    };
    worker.onmessageerror = () => {
      emit({
        type: 'error',
        requestId: null,
        context: WORKER_CRASH_CONTEXT,
        error: { name: 'DataCloneError', message: 'A message from the training worker could not be read.' },
      });
    };
    worker.postMessage({ type: 'init', backend, kernels, remembered: remembered() } satisfies Command, []);
    return worker;
  };

  return {
    start() {
      ensureWorker();
    },
    send(command, transfer = []) {
      const target = ensureWorker();
      if (!target) {
        emit({
          type: 'error',
          requestId: 'requestId' in command ? command.requestId : null,
          context: `Command "${command.type}"`,
          error: { name: WORKER_CRASH_NAME, message: 'The training worker is not running. Reload the page.' },
        });
        return;
      }
      try {
        target.postMessage(command, transfer);
      } catch (error) {
        emit({
          type: 'error',
          requestId: 'requestId' in command ? command.requestId : null,
          context: `Command "${command.type}"`,
          error: { name: error instanceof Error ? error.name : 'Error', message: String(error) },
        });
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    nextRequestId: () => ++requestId,
    get crashed() {
      return crashed;
    },
    terminate() {
      worker?.terminate();
      worker = null;
    },
  };
}

/** Whether the URL asks for the worker's fault-injection hooks (end-to-end tests only). */
export function testHooksFromQuery(search: string): boolean {
  return new URLSearchParams(search).get('testHooks') === '1';
}

let singleton: WorkerClient | null = null;

/** The app's worker client; the Worker itself is created on the first command. */
export function getWorkerClient(): WorkerClient {
  singleton ??= createWorkerClient(
    () =>
      new Worker(new URL('../worker/worker.ts', import.meta.url), {
        type: 'module',
        // `?testHooks=1` lets end-to-end tests inject faults (worker/test-hooks.ts reads the name).
        name: testHooksFromQuery(globalThis.location?.search ?? '') ? 'simclr-trainer+testHooks' : 'simclr-trainer',
      }),
    backendFromQuery(globalThis.location?.search ?? ''),
    kernelsFromQuery(globalThis.location?.search ?? ''),
    () => backendMemory.load(),
  );
  return singleton;
}
