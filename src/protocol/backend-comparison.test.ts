import { describe, expect, it } from 'vitest';
import {
  type BackendComparison,
  describeChoice,
  describeComparison,
  describeNoGpu,
  describeTiming,
  formatStepTime,
  pickFastest,
} from './backend-comparison';
import { ISSUE_12_COMPARISON, MEASURED_ON_SWIFTSHADER, NVIDIA } from './hardware-fixtures';

describe('backend comparison', () => {
  it('picks the fastest measured backend; failures never win', () => {
    expect(pickFastest(ISSUE_12_COMPARISON.timings)).toBe('wasm');
    expect(
      pickFastest([
        { backend: 'webgpu', outcome: 'failed', stage: 'start', message: 'no adapter' },
        { backend: 'webgl', outcome: 'measured', msPerStep: 40, firstStepMs: 900, timedSteps: 2 },
        { backend: 'wasm', outcome: 'measured', msPerStep: 300, firstStepMs: 400, timedSteps: 2 },
      ]),
    ).toBe('webgl');
    expect(pickFastest([{ backend: 'wasm', outcome: 'failed', stage: 'step', message: 'x' }])).toBeNull();
  });

  it('formats step times', () => {
    expect(formatStepTime(250)).toBe('250 ms');
    expect(formatStepTime(2400)).toBe('2.4 s');
    expect(formatStepTime(12_345)).toBe('12 s');
  });

  it('states what was measured, the figures of every backend and when', () => {
    expect(describeComparison(ISSUE_12_COMPARISON, 'measured')).toBe(
      'wasm 250 ms per step vs WebGL 2.4 s, WebGPU 5.6 s (resnet-small ×0.25, 24 px, batch 32, warm-up step not counted; measured on this device just now).',
    );
    expect(describeComparison(ISSUE_12_COMPARISON, 'remembered')).toMatch(
      /measured on this device on 2026-12-04 00:30 UTC\)\.$/,
    );
  });

  it('names a backend that failed and how', () => {
    const comparison: BackendComparison = {
      ...ISSUE_12_COMPARISON,
      timings: [
        ISSUE_12_COMPARISON.timings[0]!,
        { backend: 'webgpu', outcome: 'failed', stage: 'start', message: 'no WebGPU adapter' },
      ],
    };
    expect(describeTiming(comparison.timings[1]!)).toBe('WebGPU: failed to start: no WebGPU adapter');
    expect(describeTiming({ backend: 'webgl', outcome: 'skipped' })).toBe('WebGL: not timed (comparison stopped)');
    expect(describeComparison(comparison, 'measured')).toMatch(/^wasm 250 ms per step vs WebGPU: failed to start/);
  });

  it('says how the backend was chosen, never claiming an unmeasured speed', () => {
    expect(describeChoice('wasm', MEASURED_ON_SWIFTSHADER)).toMatch(/^Chosen as the fastest: wasm 250 ms per step/);
    const url = { ...MEASURED_ON_SWIFTSHADER, source: 'url' as const, comparison: null };
    expect(describeChoice('webgl', url)).toBe(
      'WebGL, as the address asks (?backend=webgl); not compared with the others.',
    );
    expect(describeChoice('webgl', { ...url, requested: 'webgpu' })).toBe(
      'The address asks for ?backend=webgpu, which did not start (the line above says why); WebGL runs instead, not compared with the others.',
    );
    const picked = { ...MEASURED_ON_SWIFTSHADER, source: 'picked' as const };
    expect(describeChoice('wasm', { ...picked, requested: 'webgpu' })).toMatch(
      /^You picked WebGPU, which did not start \(the line above says why\); wasm runs instead\.$/,
    );
    expect(describeChoice('webgpu', picked)).toMatch(/^WebGPU, as you picked\. wasm 250 ms per step vs/);
    const remembered = { ...MEASURED_ON_SWIFTSHADER, source: 'remembered' as const };
    expect(describeChoice('wasm', remembered)).toMatch(
      /^Chosen earlier as the fastest: wasm 250 ms .*measured on this device on/,
    );
    const fallback = { ...MEASURED_ON_SWIFTSHADER, source: 'fallback' as const, comparison: null };
    expect(describeChoice('cpu', fallback)).toMatch(/Its speed was not measured\.$/);
    for (const decision of [MEASURED_ON_SWIFTSHADER, url, picked, remembered, fallback]) {
      expect(describeChoice('wasm', decision)).not.toMatch(/slower|faster/);
    }
  });

  it('without a hardware GPU, says so in plain words with the measured step time', () => {
    const text = describeNoGpu('wasm', MEASURED_ON_SWIFTSHADER);
    expect(text).toMatch(/^No hardware GPU found: WebGPU here is SwiftShader, a software emulation on the CPU/);
    expect(text).toContain('wasm measured 250 ms per step of resnet-small ×0.25, 24 px, batch 32.');
    expect(describeNoGpu('webgpu', { ...MEASURED_ON_SWIFTSHADER, hardware: NVIDIA })).toBe('');
  });
});
