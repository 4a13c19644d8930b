import { beforeEach, describe, expect, it } from 'vitest';
import { metrics } from '../../client/metrics-buffer';
import { MEASURED_ON_SWIFTSHADER } from '../../protocol/hardware-fixtures';
import type { MetricsPayload, TrainPhase } from '../../protocol/messages';
import { useAppStore } from '../app-store';
import { applyPreset } from '../augment-preview/actions';
import { addInputFiles } from '../dataset/actions';
import { displayedTotalSteps, runControls, startProblems } from '../selectors';
import { endProbe, fakeFiles, type Harness, ingest, setUpStore } from '../test-support';
import {
  chooseBackend,
  continueTraining,
  measureBackendsAgain,
  pauseTraining,
  resumeTraining,
  setConfig,
  setDuration,
  startTraining,
  stopTraining,
} from './actions';
import { controlState, initialTrainingState, trainingReducer } from './state';

let h: Harness;
const training = () => useAppStore.getState().training;

function loadImages(n: number) {
  ingest(h, n);
  // A load starts auto-configure, and Start waits for it: these tests are about the run, so it ends here.
  endProbe(h);
}

function phase(p: TrainPhase, step = 0, totalSteps = 100, canContinue = false) {
  h.worker.emit({ type: 'trainState', phase: p, step, totalSteps, message: '', canContinue });
}

function metricsEvent(firstStep: number, losses: number[]): { type: 'metrics' } & MetricsPayload {
  return {
    type: 'metrics',
    firstStep,
    losses: Float32Array.from(losses),
    learningRates: Float32Array.from(losses.map((_, i) => 0.001 * (i + 1))),
    imagesPerSecond: 250,
    etaSeconds: 130,
    positiveSimilarity: 0.8,
    negativeSimilarity: 0.05,
    similarity: new Float32Array(16),
    similaritySize: 4,
  };
}

beforeEach(() => {
  h = setUpStore();
});

describe('training slice', () => {
  it('Start is refused without images, with a reason that names images', () => {
    expect(startProblems(useAppStore.getState()).join(' ')).toMatch(/load at least 2 images/i);
    expect(runControls(useAppStore.getState()).canStart).toBe(false);
    startTraining();
    expect(h.worker.last('start')).toBeUndefined();
  });

  it('derives total steps from the settings before a run', () => {
    loadImages(600);
    setConfig({ batchSize: 100 });
    setDuration({ unit: 'epochs', value: 3 });
    expect(displayedTotalSteps(useAppStore.getState())).toBe(18);
    setDuration({ unit: 'steps', value: 40 });
    expect(displayedTotalSteps(useAppStore.getState())).toBe(40);
  });

  it('start -> preparing -> running -> paused -> running -> stopping -> stopped', () => {
    loadImages(600);
    applyPreset('imagenet');
    startTraining();
    const start = h.worker.last('start');
    expect(start?.config.augment.blurP).toBe(0.5);
    expect(training().pending).toBe('start');
    expect(training().phase).toBe('idle'); // only the worker changes the phase
    expect(runControls(useAppStore.getState()).canStart).toBe(false);

    phase('preparing');
    expect(training().pending).toBeNull();
    phase('running', 0, 200);
    expect(controlState(training())).toEqual({
      canStart: false,
      canPause: true,
      canResume: false,
      canStop: true,
      canContinue: false,
    });

    pauseTraining();
    expect(h.worker.last('pause')).toBeDefined();
    expect(controlState(training()).canPause).toBe(false); // no double pause while waiting
    phase('paused', 17, 200);
    expect(controlState(training())).toEqual({
      canStart: false,
      canPause: false,
      canResume: true,
      canStop: true,
      canContinue: false,
    });
    expect(training().step).toBe(17);

    resumeTraining();
    phase('running', 17, 200);
    stopTraining();
    expect(h.worker.last('stop')).toBeDefined();
    phase('stopping', 20, 200);
    phase('stopped', 20, 200);
    expect(controlState(training())).toMatchObject({ canStart: true, canStop: false });
    expect(displayedTotalSteps(useAppStore.getState())).toBe(200);
  });

  it('Continue is offered after a Stop before the end, and sends continue', () => {
    loadImages(600);
    startTraining();
    phase('running', 0, 200);
    phase('stopped', 20, 200, true);
    expect(controlState(training()).canContinue).toBe(true);
    continueTraining();
    expect(h.worker.last('continue')).toEqual({ type: 'continue' });
    expect(controlState(training()).canContinue).toBe(false); // no double click while waiting
    phase('running', 20, 200);
    expect(training().pending).toBeNull();
    phase('stopped', 30, 200, true);
    expect(controlState(training()).canContinue).toBe(true);
    // New images: the stopped run's data set changed, the worker would refuse.
    addInputFiles(fakeFiles(3));
    const { requestId } = h.worker.last('addImages')!;
    h.worker.emit({ type: 'ingestDone', requestId, imageCount: 603, added: 3, skipped: [], cancelled: false });
    expect(controlState(training()).canContinue).toBe(false);
  });

  it('a finished run, or one the worker says cannot go on, offers no Continue', () => {
    loadImages(600);
    startTraining();
    phase('done', 200, 200);
    expect(controlState(training()).canContinue).toBe(false);
    phase('stopped', 20, 200, false);
    expect(controlState(training()).canContinue).toBe(false);
  });

  it('metrics update the step and the last values, and fill the metrics buffer', () => {
    loadImages(600);
    startTraining();
    phase('running', 0, 200);
    h.worker.emit(metricsEvent(1, [5.1, 5.0, 4.9]));
    expect(training().step).toBe(3);
    expect(training().last?.loss).toBeCloseTo(4.9, 5);
    expect(training().last?.learningRate).toBeCloseTo(0.003, 6);
    expect(training().last?.etaSeconds).toBe(130);
    expect(metrics.loss.length).toBe(3);
    // The next metrics event moves the step on.
    h.worker.emit(metricsEvent(4, [4.8]));
    expect(training().step).toBe(4);
  });

  it('a new run starts from step 0 with empty charts', () => {
    loadImages(600);
    startTraining();
    phase('running', 0, 50);
    h.worker.emit(metricsEvent(1, [5, 4]));
    phase('done', 50, 50);
    startTraining();
    expect(training().step).toBe(0);
    expect(training().last).toBeNull();
    expect(metrics.loss.length).toBe(0);
  });

  it('settings changes never touch a running run (config is copied on start)', () => {
    loadImages(600);
    startTraining();
    const sent = h.worker.last('start')!;
    setConfig({ temperature: 0.1 });
    expect(sent.config.temperature).toBe(0.5);
  });

  it('the backend status goes from starting to ready with its reason', () => {
    expect(training().backend.state).toBe('starting');
    h.worker.emit({
      type: 'backendReady',
      backend: 'webgl',
      reason: 'WebGPU is not available in this browser (no adapter); using WebGL',
      adapterInfo: '',
      customKernels: [],
      decision: MEASURED_ON_SWIFTSHADER,
    });
    expect(training().backend).toMatchObject({
      state: 'ready',
      backend: 'webgl',
      customKernels: [],
      decision: MEASURED_ON_SWIFTSHADER,
    });
  });

  const ready = (backend: 'wasm' | 'webgpu') =>
    h.worker.emit({
      type: 'backendReady',
      backend,
      reason: '',
      adapterInfo: '',
      customKernels: [],
      decision: MEASURED_ON_SWIFTSHADER,
    });

  it('shows what the worker is doing while it compares the backends', () => {
    h.worker.emit({ type: 'backendProgress', message: 'Comparing backends: timing WebGL…' });
    expect(training().backend).toMatchObject({ state: 'starting', progress: 'Comparing backends: timing WebGL…' });
    ready('wasm');
    expect(training().backend).toMatchObject({ state: 'ready', progress: '' });
  });

  it('Measure again and the chooser ask the worker, between runs only', () => {
    ready('wasm');
    measureBackendsAgain();
    expect(h.worker.last('compareBackends')).toEqual({ type: 'compareBackends' });
    expect(training().backend.state).toBe('starting');
    ready('wasm');
    chooseBackend('webgpu');
    expect(h.worker.last('chooseBackend')).toEqual({
      type: 'chooseBackend',
      backend: 'webgpu',
      comparison: MEASURED_ON_SWIFTSHADER.comparison,
    });
    ready('webgpu');
    loadImages(600);
    startTraining();
    phase('running', 1, 100);
    const sent = h.worker.commands.length;
    chooseBackend('wasm');
    measureBackendsAgain();
    expect(h.worker.commands.length).toBe(sent);
  });

  it('a worker crash puts the run in error and shows the error', () => {
    loadImages(600);
    startTraining();
    phase('running', 5, 100);
    h.worker.crash('device lost');
    expect(training().phase).toBe('error');
    expect(training().pending).toBeNull();
    const [error] = useAppStore.getState().errors.errors;
    expect(error?.message).toMatch(/device lost/);
    expect(controlState(training()).canStart).toBe(true);
  });

  it('an error while a command is pending releases the controls', () => {
    loadImages(600);
    startTraining();
    h.worker.emit({ type: 'error', requestId: null, context: 'Start', error: { name: 'Error', message: 'no' } });
    expect(training().pending).toBeNull();
    expect(training().phase).toBe('idle');
  });

  it('an error while the backend starts marks it failed (no endless spinner), by its kind, not its words', () => {
    const error = { name: 'Error', message: 'no backend could be initialized' };
    const failed = trainingReducer(initialTrainingState(), {
      type: 'error',
      requestId: null,
      context: 'starting the compute backend',
      error,
      failed: 'backend',
    });
    expect(failed.backend.state).toBe('failed');
    // Another failure whose words mention the backend leaves it starting.
    const other = trainingReducer(initialTrainingState(), {
      type: 'error',
      requestId: null,
      context: 'loading images into the backend',
      error,
    });
    expect(other.backend.state).toBe('starting');
  });
});
