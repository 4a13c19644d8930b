/** Auto-configuration actions: run the probe (after a load, or when asked), cancel it, set the budget. */
import type { PredictionBasis } from '../../protocol/auto-config';
import { DEFAULT_PROBE_SECONDS } from '../../protocol/auto-config-probe';
import type { WorkerEvent } from '../../protocol/messages';
import { type AppState, useAppStore } from '../app-store';
import { workerClient } from '../client-ref';
import { isLoading } from '../dataset/state';
import { reportError } from '../errors/actions';
import { isWorkerCrash } from '../events';
import { startProblems } from '../selectors';
import { sendStart, setDuration } from './actions';
import { currentPrediction, fixedFields, rechoose } from './auto-config';
import { isRunActive } from './state';

/** Why auto-configure cannot run now, or null. */
export function autoConfigBlocker(state: AppState): string | null {
  const { dataset, training } = state;
  if (isLoading(dataset)) return 'Wait for the images to finish loading.';
  if (dataset.imageCount < 2) return 'Load at least 2 images first (step 1).';
  if (isRunActive(training.phase) || training.pending === 'start') return 'Stop the run first.';
  if (training.backend.state === 'failed') return 'The compute backend did not start.';
  return null;
}

/** Times a few configs on this device and applies the pick to the settings the person did not set. */
export function autoConfigure(): void {
  const state = useAppStore.getState();
  const blocker = autoConfigBlocker(state);
  if (blocker) {
    reportError('Auto-configure', new Error(blocker));
    return;
  }
  const client = workerClient();
  const requestId = client.nextRequestId();
  const { config, auto } = state.training;
  const schedule = {
    embedEvery: state.evaluation.config.embedEvery,
    sampleImages: Math.min(state.dataset.imageCount, state.evaluation.config.maxImages),
  };
  useAppStore.setState((s) => ({
    training: {
      ...s.training,
      auto: { ...s.training.auto, status: 'probing', requestId, progress: null, error: null, schedule },
    },
  }));
  client.send({
    type: 'probeConfig',
    requestId,
    request: {
      base: structuredClone(config),
      timeBudgetSeconds: auto.timeBudgetMinutes * 60,
      probeSeconds: DEFAULT_PROBE_SECONDS,
      fixed: fixedFields(config, auto.overridden),
      evaluation: schedule,
    },
  });
}

export function cancelAutoConfigure(): void {
  if (useAppStore.getState().training.auto.status !== 'probing') return;
  workerClient().send({ type: 'cancelProbeConfig' });
}

function settingsFree(state: AppState): boolean {
  return !isRunActive(state.training.phase) && state.training.pending !== 'start';
}

/** The run's time budget; auto picks again for it from the timings it has. */
export function setTimeBudget(minutes: number): void {
  useAppStore.setState((s) => {
    const training = { ...s.training, auto: { ...s.training.auto, timeBudgetMinutes: minutes } };
    return { training: minutes > 0 ? rechoose(training, settingsFree(s)) : training };
  });
}

/** Shortens the run to what fits the budget at the smallest size, then picks again for it. */
export function fitDurationToBudget(): void {
  const fitting = useAppStore.getState().training.auto.choice?.fittingDuration;
  if (!fitting) return;
  setDuration(fitting);
  useAppStore.setState((s) => ({ training: rechoose(s.training, settingsFree(s)) }));
}

/** Every picked field back to auto, picked again from the timings. */
export function resetAutoOverrides(): void {
  useAppStore.setState((s) => ({
    training: rechoose({ ...s.training, auto: { ...s.training.auto, overridden: [] } }, settingsFree(s)),
  }));
}

/** A load finished with new images: auto-configure for them (connect.ts calls this). */
export function onIngestDoneAutoConfigure(event: Extract<WorkerEvent, { type: 'ingestDone' }>): void {
  if (event.cancelled || event.added === 0) return;
  const state = useAppStore.getState();
  // Images brought back by Resume or Import come with their run's own settings, and the run starts next.
  if (state.runs.resuming !== null || state.runs.importRequestId !== null) return;
  if (autoConfigBlocker(state) !== null) return;
  autoConfigure();
}

/**
 * The probe ended (picked, failed or cancelled) while Start waited for it: start now, with the pick
 * applied (connect.ts calls this after the store took the event in).
 */
export function onProbeSettled(event: WorkerEvent): void {
  const { auto } = useAppStore.getState().training;
  if (!auto.startWhenDone) return;
  const crash = isWorkerCrash(event);
  const settles =
    (event.type === 'configProbeDone' && event.requestId === auto.requestId) ||
    (event.type === 'error' && (event.requestId === auto.requestId || crash));
  if (!settles) return;
  useAppStore.setState((s) => ({ training: { ...s.training, auto: { ...s.training.auto, startWhenDone: false } } }));
  if (crash) return;
  const problems = startProblems(useAppStore.getState());
  if (problems.length > 0) {
    useAppStore.setState((s) => ({ training: { ...s.training, pending: null } }));
    reportError('Training', new Error(problems.join(' ')));
    return;
  }
  sendStart();
}

export function timeBudgetProblem(minutes: number): string | null {
  return minutes > 0 && Number.isFinite(minutes) ? null : 'Time budget must be more than 0 minutes.';
}

/** Predicted run time of the current settings (seconds), or null before a probe. */
export function predictedEtaSeconds(state: AppState): number | null {
  return currentPrediction(state.training)?.etaSeconds ?? null;
}

export function predictedSecondsPerStep(state: AppState): number | null {
  return currentPrediction(state.training)?.secondsPerStep ?? null;
}

/** Whether the current settings' step time was timed by the probe or extrapolated from the sizes it timed. */
export function predictionBasis(state: AppState): PredictionBasis | null {
  return currentPrediction(state.training)?.basis ?? null;
}

/** Embedding passes counted in the predicted run time (before, during and after the run). */
export function predictedPasses(state: AppState): number {
  return currentPrediction(state.training)?.passes ?? 0;
}
