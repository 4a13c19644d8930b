import { describe, expect, it } from 'vitest';
import type { BackendDecision } from '../protocol/backend-comparison';
import { hardwareKey } from '../protocol/hardware';
import { MEASURED_ON_SWIFTSHADER, SWIFTSHADER } from '../protocol/hardware-fixtures';
import type { WorkerEvent } from '../protocol/messages';
import { BackendMemory } from './backend-memory';
import { inMemoryStorage } from './folder-label-memory';

const ready = (
  backend: 'wasm' | 'webgpu',
  decision: BackendDecision,
): Extract<WorkerEvent, { type: 'backendReady' }> => ({
  type: 'backendReady',
  backend,
  reason: '',
  adapterInfo: '',
  customKernels: [],
  decision,
});

describe('BackendMemory', () => {
  const key = hardwareKey(SWIFTSHADER);

  it('remembers a measured choice with its comparison and hardware key', () => {
    const memory = new BackendMemory(inMemoryStorage());
    expect(memory.load()).toBeNull();
    memory.rememberFrom(ready('wasm', MEASURED_ON_SWIFTSHADER), key);
    expect(memory.load()).toEqual({
      hardwareKey: key,
      backend: 'wasm',
      picked: false,
      comparison: MEASURED_ON_SWIFTSHADER.comparison,
    });
  });

  it("a person's pick replaces it and is marked as a pick", () => {
    const memory = new BackendMemory(inMemoryStorage());
    memory.rememberFrom(ready('wasm', MEASURED_ON_SWIFTSHADER), key);
    memory.rememberFrom(ready('webgpu', { ...MEASURED_ON_SWIFTSHADER, source: 'picked' }), key);
    expect(memory.load()).toMatchObject({ backend: 'webgpu', picked: true });
  });

  it('a pick that could not start (another backend runs) is not remembered', () => {
    const memory = new BackendMemory(inMemoryStorage());
    memory.rememberFrom(ready('wasm', { ...MEASURED_ON_SWIFTSHADER, source: 'picked', requested: 'webgpu' }), key);
    expect(memory.load()).toBeNull();
  });

  it('a backend forced by the URL, remembered or fallen back to is not written', () => {
    const memory = new BackendMemory(inMemoryStorage());
    for (const source of ['url', 'remembered', 'fallback'] as const) {
      memory.rememberFrom(ready('wasm', { ...MEASURED_ON_SWIFTSHADER, source }), key);
    }
    expect(memory.load()).toBeNull();
  });

  it('ignores unreadable or foreign values', () => {
    const s = inMemoryStorage();
    const memory = new BackendMemory(s);
    s.values.set('simclr-tab.backend', '{not json');
    expect(memory.load()).toBeNull();
    s.values.set('simclr-tab.backend', JSON.stringify({ hardwareKey: key, backend: 'cuda' }));
    expect(memory.load()).toBeNull();
  });
});
