/** Training actions: edit the config, and Start / Pause / Resume / Stop / Continue a run. */
import { metrics } from '../../client/metrics-buffer';
import type { AugmentConfig, BackendName, TrainConfig, TrainDuration } from '../../protocol/config';
import { useAppStore } from '../app-store';
import { workerClient } from '../client-ref';
import { initialCheckpointStatus } from '../runs/state';
import { startProblems } from '../selectors';
import { markOverridden, waitsForProbe } from './auto-config';
import { startWeightsFile } from './start-weights';
import { isRunActive, type PendingCommand, requestCommand } from './state';

function updateConfig(update: (config: TrainConfig) => TrainConfig): void {
  useAppStore.setState((s) => ({ training: { ...s.training, config: update(s.training.config) } }));
}

/** A change the person made: auto-configuration leaves the fields it sets alone from now on. */
export function setConfig(patch: Partial<Omit<TrainConfig, 'augment' | 'duration'>>): void {
  useAppStore.setState((s) => ({
    training: markOverridden({ ...s.training, config: { ...s.training.config, ...patch } }, Object.keys(patch)),
  }));
}

export function setDuration(patch: Partial<TrainDuration>): void {
  updateConfig((config) => ({ ...config, duration: { ...config.duration, ...patch } }));
}

export function setAugment(patch: Partial<AugmentConfig>): void {
  updateConfig((config) => ({ ...config, augment: { ...config.augment, ...patch } }));
}

function request(command: Exclude<PendingCommand, null>): void {
  useAppStore.setState((s) => ({ training: requestCommand(s.training, command) }));
}

/** Start a run with the current config; does nothing while Start would be disabled. */
export function startTraining(): void {
  const state = useAppStore.getState();
  if (startProblems(state).length > 0) return;
  if (waitsForProbe(state.training, state.dataset.imageCount)) {
    // Some fields are still auto: the run starts with the probe's pick once it is in (auto-actions.ts).
    useAppStore.setState((s) => ({
      training: { ...requestCommand(s.training, 'start'), auto: { ...s.training.auto, startWhenDone: true } },
    }));
    return;
  }
  sendStart();
}

/** Sends Start with the settings as they are now (startTraining checked them). */
export function sendStart(): void {
  const state = useAppStore.getState();
  metrics.reset();
  request('start');
  useAppStore.setState((s) => ({ runs: { ...s.runs, checkpoint: initialCheckpointStatus() } }));
  const weights = startWeightsFile();
  const config = structuredClone(state.training.config);
  workerClient().send(weights ? { type: 'start', config, weights } : { type: 'start', config });
}

export function pauseTraining(): void {
  request('pause');
  workerClient().send({ type: 'pause' });
}

export function resumeTraining(): void {
  request('resume');
  workerClient().send({ type: 'resume' });
}

export function stopTraining(): void {
  request('stop');
  workerClient().send({ type: 'stop' });
}

/** Trains a run stopped before its end on from where it stopped (same weights, optimizer and schedule). */
export function continueTraining(): void {
  request('continue');
  workerClient().send({ type: 'continue' });
}

/** "Measure again": the worker times every backend again and switches to the fastest. */
export function measureBackendsAgain(): void {
  const { training } = useAppStore.getState();
  if (isRunActive(training.phase) || training.backend.state === 'starting') return;
  useAppStore.setState((s) => ({
    training: { ...s.training, backend: { ...s.training.backend, state: 'starting', progress: 'Comparing backends…' } },
  }));
  workerClient().send({ type: 'compareBackends' });
}

/** The person's pick in the backend chooser (remembered for this device once the worker confirms). */
export function chooseBackend(backend: BackendName): void {
  const { training } = useAppStore.getState();
  if (isRunActive(training.phase) || training.backend.state === 'starting') return;
  if (backend === training.backend.backend) return;
  useAppStore.setState((s) => ({
    training: {
      ...s.training,
      backend: { ...s.training.backend, state: 'starting', progress: `Switching to ${backend}…` },
    },
  }));
  workerClient().send({ type: 'chooseBackend', backend, comparison: training.backend.decision?.comparison ?? null });
}

/** Stops the backend comparison under way: the worker uses the fastest backend timed so far. */
export function stopBackendComparison(): void {
  if (useAppStore.getState().training.backend.state !== 'starting') return;
  workerClient().send({ type: 'stopBackendComparison' });
}
