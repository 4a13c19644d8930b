import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Candidate } from '../protocol/auto-config';
import { hardwareKey } from '../protocol/hardware';
import { compareBackends, establishBackend } from './backend-comparison';
import { readHardware } from './hardware-report';

// Node has neither WebGPU nor WebGL: both fail to start and say so; wasm trains real steps.
const TINY: Candidate = { encoder: 'resnet-small', widthMultiplier: 0.0625, imageSize: 16, batchSize: 4 };

describe('backend comparison (Node: wasm only)', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('times wasm, reports WebGL and WebGPU as failed to start, and picks wasm', async () => {
    const progress: string[] = [];
    const comparison = await compareBackends(
      'custom',
      (m) => progress.push(m),
      () => false,
      TINY,
    );
    expect(comparison.workload).toBe('Small ResNet ×0.0625, 16 px, batch 4');
    const byName = Object.fromEntries(comparison.timings.map((t) => [t.backend, t]));
    expect(byName.webgpu).toMatchObject({ outcome: 'failed', stage: 'start' });
    expect(byName.webgl).toMatchObject({ outcome: 'failed', stage: 'start' });
    expect(byName.wasm).toMatchObject({ outcome: 'measured', timedSteps: 2 });
    if (byName.wasm?.outcome === 'measured') expect(byName.wasm.msPerStep).toBeGreaterThan(0);
    expect(comparison.fastest).toBe('wasm');
    expect(progress).toContain('Comparing backends: starting wasm…');
  }, 60_000);

  it('Stop comparing keeps what was timed (never stopping before one backend is timed) and skips the rest', async () => {
    let measured = false;
    const comparison = await compareBackends(
      'custom',
      (m) => {
        // Stopped while wasm is being timed: nothing timed yet, so wasm finishes; the rest are skipped.
        if (m.includes('timing wasm')) measured = true;
      },
      () => measured,
      TINY,
    );
    expect(comparison.timings.map((t) => [t.backend, t.outcome])).toEqual([
      ['wasm', 'measured'],
      ['webgl', 'skipped'],
      ['webgpu', 'skipped'],
    ]);
    expect(comparison.fastest).toBe('wasm');
  }, 60_000);

  it('a remembered choice for this hardware is used without measuring; other hardware is measured', async () => {
    const key = hardwareKey(await readHardware());
    const remembered = { hardwareKey: key, backend: 'wasm' as const, picked: false, comparison: null };
    const progress: string[] = [];
    const again = await establishBackend({ kind: 'init', choice: 'auto', kernels: 'custom', remembered }, (m) =>
      progress.push(m),
    );
    expect(again.backend).toBe('wasm');
    expect(again.decision.source).toBe('remembered');
    expect(progress.some((m) => m.startsWith('Comparing'))).toBe(false);

    const url = await establishBackend({ kind: 'init', choice: 'cpu', kernels: 'custom', remembered }, () => {});
    expect(url).toMatchObject({ backend: 'cpu', decision: { source: 'url', comparison: null } });
  }, 60_000);
});
