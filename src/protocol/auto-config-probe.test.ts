import { describe, expect, it } from 'vitest';
import { candidateList, type DeviceLimits, passBytes, type StepMeasurement } from './auto-config';
import { MAX_PROBED, nextProbe, type ProbeState } from './auto-config-probe';
import { DEFAULT_TRAIN_CONFIG } from './config';

const data = { imageCount: 600, storeSize: 64 };
const list = candidateList(data, DEFAULT_TRAIN_CONFIG);
const limits: DeviceLimits = {
  backend: 'webgpu',
  maxTensorBytes: 2 ** 32,
  budgetBytes: 2 ** 33,
  source: '',
};

function timed(index: number, flopsPerSecond: number, firstStepSeconds = 0.5): StepMeasurement {
  const c = list[index]!;
  return {
    candidate: c.candidate,
    flopsPerStep: c.cost.flopsPerStep,
    secondsPerStep: 0.002 + c.cost.flopsPerStep / flopsPerSecond,
    firstStepSeconds,
    passes: 1,
  };
}

function state(over: Partial<ProbeState>): ProbeState {
  return {
    list,
    limits,
    data,
    request: { base: DEFAULT_TRAIN_CONFIG, timeBudgetSeconds: 600, probeSeconds: 8 },
    measurements: [],
    failures: [],
    lastIndex: -1,
    elapsedSeconds: 0,
    ...over,
  };
}

describe('nextProbe', () => {
  it('always times the smallest candidate first', () => {
    expect(nextProbe(state({ request: { ...state({}).request, probeSeconds: 0 } }))).toEqual({
      kind: 'measure',
      index: 0,
    });
  });

  it('goes up while the device is fast and the probe has time', () => {
    expect(nextProbe(state({ measurements: [timed(0, 1e13)], lastIndex: 0, elapsedSeconds: 1 }))).toEqual({
      kind: 'measure',
      index: 1,
    });
  });

  it("with one timing, a tiny model's launch overhead does not stop the climb (a fast GPU)", () => {
    // 0.3 s for the smallest step: scaled by FLOPs alone (16x), the next size would be 1,700 s, far
    // over twice the 600 s budget; with half of it taken as overhead it is 920 s, worth timing.
    const overhead = { ...timed(0, 1e15), secondsPerStep: 0.3, firstStepSeconds: 1 };
    expect(nextProbe(state({ measurements: [overhead], lastIndex: 0, elapsedSeconds: 1.1 }))).toEqual({
      kind: 'measure',
      index: 1,
    });
  });

  it('stops when the probe time would run out, and says larger sizes are extrapolated', () => {
    const decision = nextProbe(state({ measurements: [timed(0, 1e13, 3)], lastIndex: 0, elapsedSeconds: 6 }));
    expect(decision.kind).toBe('stop');
    if (decision.kind === 'stop') expect(decision.reason).toMatch(/extrapolated/);
  });

  it('stops when the next size is predicted far over the budget (a slow device: SwiftShader, CPU)', () => {
    const decision = nextProbe(state({ measurements: [timed(0, 5e8)], lastIndex: 0, elapsedSeconds: 1 }));
    expect(decision).toMatchObject({ kind: 'stop', reason: expect.stringMatching(/far over the time budget/) });
  });

  it('stops when the last size timed is already over the budget', () => {
    const decision = nextProbe(state({ measurements: [timed(0, 1e8)], lastIndex: 0, elapsedSeconds: 1 }));
    expect(decision).toEqual({ kind: 'stop', reason: 'The last size timed is already over the time budget.' });
  });

  it('stops after an out-of-memory failure', () => {
    const c = list[2]!;
    const bytes = passBytes(c.candidate, DEFAULT_TRAIN_CONFIG, limits);
    const failures = [{ candidate: c.candidate, passBytes: bytes, outOfMemory: true, message: 'x' }];
    const decision = nextProbe(state({ measurements: [timed(0, 1e13), timed(1, 1e13)], failures, lastIndex: 2 }));
    expect(decision).toEqual({ kind: 'stop', reason: 'The next size up ran out of memory.' });
  });

  it('skips candidates over the memory limits, even in passes of one image', () => {
    // A budget below the next size's weights: no pass of it fits.
    const tight = { ...limits, budgetBytes: list[1]!.cost.paramBytes };
    const decision = nextProbe(state({ limits: tight, measurements: [timed(0, 1e13)], lastIndex: 0 }));
    expect(decision).toEqual({ kind: 'stop', reason: 'Every size that fits the memory limits was timed.' });
  });

  it(`times at most ${MAX_PROBED} sizes`, () => {
    const measurements = Array.from({ length: MAX_PROBED }, (_, i) => timed(i, 1e15));
    const decision = nextProbe(
      state({ measurements, lastIndex: MAX_PROBED - 1, request: { ...state({}).request, probeSeconds: 1e6 } }),
    );
    expect(decision.kind).toBe('stop');
  });
});
