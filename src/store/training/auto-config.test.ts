import { beforeEach, describe, expect, it } from 'vitest';
import { candidateList, type StepMeasurement } from '../../protocol/auto-config';
import type { ProbeResult } from '../../protocol/auto-config-probe';
import { DEFAULT_TRAIN_CONFIG } from '../../protocol/config';
import { useAppStore } from '../app-store';
import { resumeRun } from '../runs/actions';
import { probeNotice, startProblems } from '../selectors';
import { type Harness, ingest, setUpStore } from '../test-support';
import { setConfig, setDuration, startTraining } from './actions';
import {
  autoConfigure,
  cancelAutoConfigure,
  fitDurationToBudget,
  predictedEtaSeconds,
  resetAutoOverrides,
  setTimeBudget,
} from './auto-actions';

let h: Harness;
const training = () => useAppStore.getState().training;
const data = { imageCount: 600, storeSize: 64 };

const loadImages = (n: number) => ingest(h, n);

/** Timings of the two cheapest candidates on a device doing `flopsPerSecond`. */
function timings(flopsPerSecond: number): StepMeasurement[] {
  return candidateList(data, DEFAULT_TRAIN_CONFIG)
    .slice(0, 2)
    .map(({ candidate, cost }) => ({
      candidate,
      flopsPerStep: cost.flopsPerStep,
      secondsPerStep: 0.003 + cost.flopsPerStep / flopsPerSecond,
      firstStepSeconds: 0.5,
      passes: 1,
    }));
}

function result(over: Partial<ProbeResult> = {}): ProbeResult {
  return {
    backend: 'webgpu',
    limits: {
      backend: 'webgpu',
      maxTensorBytes: 2 ** 31,
      budgetBytes: 2 ** 33,
      source: 'test',
    },
    data,
    measurements: timings(5e12),
    failures: [],
    stopReason: 'Timed enough.',
    cancelled: false,
    elapsedSeconds: 2,
    ...over,
  };
}

function finishProbe(over: Partial<ProbeResult> = {}) {
  const { requestId } = h.worker.last('probeConfig')!;
  h.worker.emit({ type: 'configProbeDone', requestId, result: result(over) });
}

beforeEach(() => {
  h = setUpStore();
});

describe('auto-configuration in the training slice', () => {
  it('probes once the images are loaded, with the settings and the time budget', () => {
    expect(h.worker.last('probeConfig')).toBeUndefined();
    loadImages(600);
    const sent = h.worker.last('probeConfig')!;
    expect(sent.request.timeBudgetSeconds).toBe(600);
    expect(sent.request.base).toEqual(training().config);
    expect(training().auto.status).toBe('probing');
    h.worker.emit({
      type: 'configProbeProgress',
      requestId: sent.requestId,
      tried: 1,
      message: 'Timing…',
      elapsedSeconds: 1,
      stage: 'timing',
      candidate: { encoder: 'resnet-small', widthMultiplier: 0.125, imageSize: 16, batchSize: 16 },
      step: 2,
      steps: 3,
    });
    expect(training().auto.progress?.message).toBe('Timing…');
  });

  it('applies the pick to the settings and predicts their run time', () => {
    loadImages(600);
    setConfig({ encoder: 'resnet34' }); // set by hand before the probe ends: kept
    finishProbe();
    const { auto, config } = training();
    expect(auto.status).toBe('done');
    expect(config.encoder).toBe('resnet34');
    expect(config.batchSize).toBe(auto.choice!.candidate.batchSize);
    expect(config.imageSize).toBeLessThanOrEqual(64);
    expect(predictedEtaSeconds(useAppStore.getState())).toBeCloseTo(auto.choice!.etaSeconds, 9);
  });

  it('a large data set on a fast device gets batch 4,096 in chunks; a Chunk set by hand is kept and used', () => {
    const big = { imageCount: 20_000, storeSize: 32 };
    const measurements = candidateList(big, DEFAULT_TRAIN_CONFIG)
      .slice(0, 2)
      .map(({ candidate, cost }) => ({
        candidate,
        flopsPerStep: cost.flopsPerStep,
        secondsPerStep: 0.001 + cost.flopsPerStep / 1e14,
        firstStepSeconds: 0.5,
        passes: 1,
      }));
    const limits = { backend: 'webgpu' as const, maxTensorBytes: 2 ** 30, budgetBytes: 2 ** 34, source: 'test' };
    loadImages(20_000);
    setConfig({ chunkSize: 32 });
    finishProbe({ data: big, measurements, limits });
    const { auto, config } = training();
    expect(config.batchSize).toBe(4096);
    expect(config.chunkSize).toBe(32);
    expect(auto.choice!.stepPlan).toMatchObject({ passes: 128, imagesPerPass: 32, reason: 'the chunk set by you' });
    expect(startProblems(useAppStore.getState())).toEqual([]);
    setConfig({ chunkSize: null });
    autoConfigure();
    finishProbe({ data: big, measurements, limits });
    const plan = training().auto.choice!.stepPlan!;
    expect(training().config.batchSize).toBe(4096);
    expect(plan.passes).toBeGreaterThan(1);
    expect(plan.reason).toMatch(/^the whole batch at once needs about/);
  });

  it('a slow device gets a smaller pick than a fast one', () => {
    loadImages(600);
    finishProbe({ measurements: timings(1e13) });
    const fast = training().config;
    autoConfigure();
    finishProbe({ measurements: timings(3e9) });
    const slow = training().config;
    expect(slow.encoder).toBe('resnet-small');
    expect(fast.encoder).toBe('resnet18');
    expect(slow.widthMultiplier * slow.imageSize).toBeLessThan(fast.widthMultiplier * fast.imageSize);
  });

  it('keeps a field the person overrides when the budget changes, and the ETA follows the override', () => {
    loadImages(600);
    finishProbe({ measurements: timings(2e11) });
    const before = predictedEtaSeconds(useAppStore.getState())!;
    setConfig({ batchSize: 16 });
    expect(training().auto.overridden).toEqual(['batchSize']);
    expect(predictedEtaSeconds(useAppStore.getState())).not.toBeCloseTo(before, 3);
    setTimeBudget(1);
    expect(training().config.batchSize).toBe(16);
    expect(training().auto.choice!.candidate.batchSize).toBe(16);
    expect(training().auto.choice!.etaSeconds).toBeLessThanOrEqual(60);
    resetAutoOverrides();
    expect(training().auto.overridden).toEqual([]);
    expect(training().config.batchSize).toBe(training().auto.choice!.candidate.batchSize);
  });

  it('over budget even at the smallest size: one click shortens the run to fit', () => {
    loadImages(600);
    finishProbe({ measurements: timings(1e8) });
    const { choice } = training().auto;
    expect(choice?.fitsBudget).toBe(false);
    fitDurationToBudget();
    expect(training().config.duration).toEqual(choice!.fittingDuration);
    expect(training().auto.choice?.fitsBudget).toBe(true);
    expect(predictedEtaSeconds(useAppStore.getState())).toBeLessThanOrEqual(600);
  });

  it('a longer duration makes the same settings take longer', () => {
    loadImages(600);
    finishProbe();
    const eta = predictedEtaSeconds(useAppStore.getState())!;
    setDuration({ value: 40 });
    // Twice the steps; the embedding passes before and after the run stay as they were.
    const longer = predictedEtaSeconds(useAppStore.getState())!;
    expect(longer).toBeGreaterThan(1.8 * eta);
    expect(longer).toBeLessThan(2 * eta);
  });

  it('a cancelled probe changes nothing; cancel is sent only while probing', () => {
    loadImages(600);
    const before = training().config;
    cancelAutoConfigure();
    expect(h.worker.last('cancelProbeConfig')).toBeDefined();
    finishProbe({ cancelled: true });
    expect(training().auto.status).toBe('cancelled');
    expect(training().config).toEqual(before);
  });

  it('says why when not even the smallest step could be timed', () => {
    loadImages(600);
    const c = candidateList(data, DEFAULT_TRAIN_CONFIG)[0]!;
    finishProbe({
      measurements: [],
      failures: [{ candidate: c.candidate, passBytes: 1, outOfMemory: true, message: 'GPU out of memory' }],
    });
    expect(training().auto.status).toBe('failed');
    expect(training().auto.error).toMatch(/could not time a single training step on webgpu: GPU out of memory/);
  });

  it('an error answering the probe is shown', () => {
    loadImages(600);
    const { requestId } = h.worker.last('probeConfig')!;
    h.worker.emit({ type: 'error', requestId, context: 'auto-configuring', error: { name: 'Error', message: 'no' } });
    expect(training().auto).toMatchObject({ status: 'failed', error: 'no' });
  });

  it('Start while the probe runs waits for it, then starts with the pick', () => {
    loadImages(600);
    setConfig({ batchSize: 50 });
    startTraining();
    expect(h.worker.last('start')).toBeUndefined();
    expect(training().pending).toBe('start');
    finishProbe();
    const sent = h.worker.last('start')!;
    expect(sent.config.batchSize).toBe(50);
    expect(sent.config.encoder).toBe(training().auto.choice!.candidate.encoder);
    expect(sent.config.imageSize).toBe(training().auto.choice!.candidate.imageSize);
    expect(training().auto.startWhenDone).toBe(false);
  });

  it('Start waiting for a probe that fails starts with the settings as they are', () => {
    loadImages(600);
    const before = training().config;
    startTraining();
    const { requestId } = h.worker.last('probeConfig')!;
    h.worker.emit({ type: 'error', requestId, context: 'auto-configuring', error: { name: 'Error', message: 'no' } });
    expect(h.worker.last('start')?.config).toEqual(before);
  });

  it('with every picked field set by hand, Start goes at once and a late result changes nothing', () => {
    loadImages(600);
    setConfig({ encoder: 'resnet-small', widthMultiplier: 0.25, imageSize: 16, batchSize: 8 });
    const before = training().config;
    startTraining();
    expect(h.worker.last('start')?.config).toEqual(before);
    finishProbe();
    expect(training().config).toEqual(before);
  });

  it("a restored run's settings are kept by later probes", () => {
    loadImages(600);
    finishProbe();
    const saved = { ...DEFAULT_TRAIN_CONFIG, encoder: 'resnet34' as const, batchSize: 24 };
    h.worker.emit({ type: 'runRestored', runId: 'r1', config: saved, step: 5, canContinue: true, message: '' });
    autoConfigure();
    finishProbe();
    expect(training().config.encoder).toBe('resnet34');
    expect(training().config.batchSize).toBe(24);
  });

  it('images brought back by Resume do not start a probe (the saved run trains with its own settings)', () => {
    resumeRun('r1');
    h.worker.emit({ type: 'ingestDone', requestId: 7, imageCount: 600, added: 600, skipped: [], cancelled: false });
    expect(h.worker.last('probeConfig')).toBeUndefined();
    expect(training().auto.status).not.toBe('probing');
  });

  it('is refused without images, with a reason', () => {
    autoConfigure();
    expect(h.worker.last('probeConfig')).toBeUndefined();
    expect(useAppStore.getState().errors.errors.at(-1)?.message).toMatch(/at least 2 images/);
  });
});

describe('a batch larger than the data set while the probe runs', () => {
  const small = { imageCount: 83, storeSize: 64 };

  it('does not disable Start: the probe is lowering it, and a Start waits for the pick', () => {
    setConfig({ batchSize: 128 }); // set by hand: the probe keeps it, lowered to the data set
    loadImages(83);
    const state = useAppStore.getState();
    expect(training().auto.status).toBe('probing');
    expect(h.worker.last('probeConfig')!.request.fixed).toEqual({ batchSize: 128 });
    expect(startProblems(state)).toEqual([]);
    expect(probeNotice(state)).toBe(
      'Batch size 128 is larger than the data set (83 images): auto-configure is lowering it to 83.',
    );
    startTraining();
    expect(training().auto.startWhenDone).toBe(true);
    expect(h.worker.last('start')).toBeUndefined();
    const [c] = candidateList(small, DEFAULT_TRAIN_CONFIG, { batchSize: 128 });
    finishProbe({
      data: small,
      measurements: [
        {
          candidate: c!.candidate,
          flopsPerStep: c!.cost.flopsPerStep,
          secondsPerStep: 0.1,
          firstStepSeconds: 1,
          passes: 1,
        },
      ],
    });
    expect(training().config.batchSize).toBe(83);
    expect(training().auto.batchLowered).toEqual({ from: 128, to: 83 });
    expect(h.worker.last('start')!.config.batchSize).toBe(83);
  });

  it('without a probe running, the problem is said and Start stays disabled', () => {
    loadImages(83);
    finishProbe({ cancelled: true });
    setConfig({ batchSize: 128 });
    const state = useAppStore.getState();
    expect(probeNotice(state)).toBeNull();
    expect(startProblems(state).join(' ')).toMatch(/larger than the data set/);
  });
});
