/**
 * The backend choice of this browser, kept in localStorage so a reload does not compare the backends
 * again. The worker uses it only while its hardware key (protocol/hardware.ts) matches: a new GPU or
 * driver is measured afresh. A choice forced by `?backend=` is not remembered.
 */
import type { RememberedBackend } from '../protocol/backend-comparison';
import type { WorkerEvent } from '../protocol/messages';
import { defaultStorage, type KeyValueStorage } from './folder-label-memory';

const STORAGE_KEY = 'simclr-tab.backend';

const BACKENDS = new Set(['webgpu', 'webgl', 'wasm', 'cpu']);

export class BackendMemory {
  constructor(private readonly storage: KeyValueStorage = defaultStorage()) {}

  /** The remembered choice, or null (never chosen, or unreadable). */
  load(): RememberedBackend | null {
    try {
      const parsed = JSON.parse(this.storage.getItem(STORAGE_KEY) ?? 'null') as Partial<RememberedBackend> | null;
      if (!parsed || typeof parsed.hardwareKey !== 'string' || !BACKENDS.has(String(parsed.backend))) return null;
      return {
        hardwareKey: parsed.hardwareKey,
        backend: parsed.backend as RememberedBackend['backend'],
        picked: parsed.picked === true,
        comparison: parsed.comparison ?? null,
      };
    } catch {
      return null;
    }
  }

  /** Keeps what a backendReady event says when it was measured or picked; the other sources change nothing. */
  rememberFrom(event: Extract<WorkerEvent, { type: 'backendReady' }>, hardwareKey: string): void {
    const { source, comparison, requested } = event.decision;
    if (source !== 'measured' && source !== 'picked') return;
    // A pick that could not start is not remembered (another backend runs instead).
    if (source === 'picked' && requested !== null && requested !== event.backend) return;
    const entry: RememberedBackend = { hardwareKey, backend: event.backend, picked: source === 'picked', comparison };
    try {
      this.storage.setItem(STORAGE_KEY, JSON.stringify(entry));
    } catch {
      // Storage full or blocked: the next page compares again.
    }
  }
}

/** The app's memory, in this browser's localStorage. */
export const backendMemory = new BackendMemory();
