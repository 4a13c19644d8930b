/** Derived values, as plain functions of the state (use with `useAppStore` and `useShallow` for arrays). */
import { totalSteps, validateConfig } from '../protocol/config';
import type { AppState } from './app-store';
import { isLoading } from './dataset/state';
import { controlState, isRunActive } from './training/state';

/** Why Start is not possible now (empty when it is). Config problems come from validateConfig. */
export function startProblems(state: AppState): string[] {
  const problems: string[] = [];
  if (isLoading(state.dataset)) problems.push('Wait for the images to finish loading.');
  problems.push(...validateConfig(state.training.config, state.dataset.imageCount));
  return problems;
}

export function runControls(state: AppState) {
  const controls = controlState(state.training);
  return { ...controls, canStart: controls.canStart && startProblems(state).length === 0 };
}

export function stepsPerEpoch(state: AppState): number {
  const { batchSize } = state.training.config;
  return batchSize >= 1 ? Math.floor(state.dataset.imageCount / batchSize) : 0;
}

/** The run's total: the worker's once a run started, else what the current settings would give. */
export function displayedTotalSteps(state: AppState): number {
  const { training } = state;
  if (training.totalSteps > 0) return training.totalSteps;
  return totalSteps(training.config, state.dataset.imageCount);
}

export function settingsLocked(state: AppState): boolean {
  return isRunActive(state.training.phase) || state.training.pending === 'start';
}

/** An encoder exists that can be exported: at least one step trained, or the run ended. */
export function canExport(state: AppState): boolean {
  const { phase, step } = state.training;
  return state.exporting.exportRequestId === null && (step >= 1 || phase === 'stopped' || phase === 'done');
}

export function canEmbed(state: AppState): boolean {
  const { phase, step, model } = state.training;
  return state.exporting.embedRequestId === null && (step >= 1 || phase === 'stopped' || phase === 'done') && !!model;
}
