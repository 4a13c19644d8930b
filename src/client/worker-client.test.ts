import { describe, expect, it } from 'vitest';
import type { WorkerEvent } from '../protocol/messages';
import {
  backendFromQuery,
  createWorkerClient,
  kernelsFromQuery,
  WORKER_CRASH_CONTEXT,
  type WorkerLike,
} from './worker-client';

class FakeWorker implements WorkerLike {
  posted: unknown[] = [];
  transfers: Transferable[][] = [];
  terminated = false;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  onmessageerror: ((event: MessageEvent) => void) | null = null;
  postMessage(message: unknown, transfer: Transferable[]) {
    this.posted.push(message);
    this.transfers.push(transfer);
  }
  terminate() {
    this.terminated = true;
  }
  emit(data: WorkerEvent) {
    this.onmessage?.({ data } as MessageEvent);
  }
}

describe('backendFromQuery', () => {
  it('reads ?backend= and defaults to auto', () => {
    expect(backendFromQuery('?backend=webgl')).toBe('webgl');
    expect(backendFromQuery('?backend=cpu&x=1')).toBe('cpu');
    expect(backendFromQuery('')).toBe('auto');
    expect(backendFromQuery('?backend=cuda')).toBe('auto');
  });
});

describe('kernelsFromQuery', () => {
  it('switches our kernels off only for ?kernels=stock', () => {
    expect(kernelsFromQuery('?kernels=stock')).toBe('stock');
    expect(kernelsFromQuery('?backend=webgpu')).toBe('custom');
    expect(kernelsFromQuery('?kernels=fast')).toBe('custom');
  });
});

describe('createWorkerClient', () => {
  it('creates the worker lazily, sends init first and then commands', () => {
    const fake = new FakeWorker();
    let created = 0;
    const client = createWorkerClient(() => {
      created++;
      return fake;
    }, 'wasm');
    expect(created).toBe(0);
    const buffer = new ArrayBuffer(4);
    client.send({ type: 'pause' }, [buffer]);
    client.send({ type: 'resume' });
    expect(created).toBe(1);
    expect(fake.posted).toEqual([
      { type: 'init', backend: 'wasm', kernels: 'custom', remembered: null },
      { type: 'pause' },
      { type: 'resume' },
    ]);
    expect(fake.transfers[1]).toEqual([buffer]);
  });

  it('hands out increasing request ids', () => {
    const client = createWorkerClient(() => new FakeWorker());
    const a = client.nextRequestId();
    expect(client.nextRequestId()).toBe(a + 1);
  });

  it('delivers events to subscribers until they unsubscribe', () => {
    const fake = new FakeWorker();
    const client = createWorkerClient(() => fake);
    client.start();
    const seen: string[] = [];
    const unsubscribe = client.subscribe((e) => seen.push(e.type));
    fake.emit({ type: 'imagesCleared' });
    unsubscribe();
    fake.emit({ type: 'imagesCleared' });
    expect(seen).toEqual(['imagesCleared']);
  });

  it('turns a worker crash into an error event and reports later commands', () => {
    const fake = new FakeWorker();
    const client = createWorkerClient(() => fake);
    client.start();
    const events: WorkerEvent[] = [];
    client.subscribe((e) => events.push(e));
    fake.onerror?.({
      message: 'Uncaught RangeError: boom',
      filename: 'worker.js',
      lineno: 3,
      preventDefault() {},
    } as ErrorEvent);
    expect(client.crashed).toBe(true);
    expect(events[0]).toMatchObject({ type: 'error', requestId: null, context: WORKER_CRASH_CONTEXT });
    expect(events[0]?.type === 'error' && events[0].error.message).toMatch(/boom/);
    client.send({ type: 'export', requestId: 7, withOptimizer: false });
    expect(events[1]).toMatchObject({ type: 'error', requestId: 7 });
  });

  it('reports a worker that cannot be constructed', () => {
    const events: WorkerEvent[] = [];
    const client = createWorkerClient(() => {
      throw new Error('SecurityError');
    });
    client.subscribe((e) => events.push(e));
    client.start();
    expect(events).toHaveLength(1);
    expect(client.crashed).toBe(true);
  });
});
