/** Derived values, as plain functions of the state (use with `useAppStore` and `useShallow` for arrays). */
import {
  type AugmentConfig,
  capBatchToData,
  stepsPerEpoch as stepsInEpoch,
  totalSteps,
  validateConfig,
} from '../protocol/config';
import { weightsMismatch } from '../protocol/start-weights';
import type { AppState } from './app-store';
import { isLoading } from './dataset/state';
import { controlState, isRunActive } from './training/state';

/**
 * Why Start is not possible now (empty when it is). Config problems come from validateConfig, except one
 * the running probe is about to remove (probeNotice says so instead).
 */
export function startProblems(state: AppState): string[] {
  const problems: string[] = [];
  if (isLoading(state.dataset)) problems.push('Wait for the images to finish loading.');
  const { config } = state.training;
  const imageCount = state.dataset.imageCount;
  const asProbed = probeNotice(state) ? { ...config, batchSize: capBatchToData(config.batchSize, imageCount) } : config;
  problems.push(...validateConfig(asProbed, imageCount));
  problems.push(...augmentProblems(state.training.config.augment));
  const weights = state.training.startWeights.summary;
  const mismatch = weights ? weightsMismatch(config, weights) : null;
  if (mismatch) problems.push(mismatch);
  return problems;
}

/**
 * What the running auto-configure probe is about to change that would otherwise keep Start disabled: a
 * batch larger than the data set, which it lowers (capBatchToData). Null when there is nothing.
 */
export function probeNotice(state: AppState): string | null {
  const { auto, config } = state.training;
  if (auto.status !== 'probing') return null;
  const imageCount = state.dataset.imageCount;
  const to = capBatchToData(config.batchSize, imageCount);
  if (to >= config.batchSize) return null;
  const target = auto.overridden.includes('batchSize') ? `to ${to}` : 'to fit it';
  return `Batch size ${config.batchSize} is larger than the data set (${imageCount} images): auto-configure is lowering it ${target}.`;
}

const PROBABILITIES: [keyof AugmentConfig, string][] = [
  ['flipP', 'Flip probability'],
  ['jitterP', 'Colour jitter probability'],
  ['grayscaleP', 'Grayscale probability'],
  ['blurP', 'Blur probability'],
];

/** Augmentation settings that make no sense (validateConfig checks the rest of the config). */
export function augmentProblems(augment: AugmentConfig): string[] {
  const problems: string[] = [];
  const { cropAreaMin, cropAreaMax, jitterStrength } = augment;
  if (!(cropAreaMin > 0 && cropAreaMin <= cropAreaMax && cropAreaMax <= 1))
    problems.push('Crop area must satisfy 0 < min ≤ max ≤ 1 (a fraction of the image area).');
  for (const [key, label] of PROBABILITIES) {
    const p = augment[key];
    if (!(p >= 0 && p <= 1)) problems.push(`${label} must be between 0 and 1.`);
  }
  if (!(jitterStrength >= 0)) problems.push('Jitter strength must be 0 or more.');
  return problems;
}

export function runControls(state: AppState) {
  const controls = controlState(state.training);
  return { ...controls, canStart: controls.canStart && startProblems(state).length === 0 };
}

export function stepsPerEpoch(state: AppState): number {
  return stepsInEpoch(state.dataset.imageCount, state.training.config.batchSize);
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

/**
 * Steps a reload would lose: the step on screen is newer than the last completed save (or the checkpoint
 * the run was restored from). A failed run has nothing left to save.
 */
export function hasUnsavedSteps(state: AppState): boolean {
  const { phase, step } = state.training;
  return phase !== 'idle' && phase !== 'error' && step > state.runs.checkpoint.safeStep;
}

/** Why fine-tuning cannot start now (null when it can): labels, a trained encoder, a free GPU. */
export function fineTuneBlocker(state: AppState): string | null {
  const { folders, folderLabels } = state.dataset;
  if (!folders || folders.names.length < 2)
    return 'Load a folder with one subfolder per class in step 1: the folder names become the labels.';
  if (folderLabels !== true) return 'Say in step 1 (Data) that the folder names are labels.';
  if (state.training.step < 1) return 'Train the encoder for at least one step in step 2 first.';
  if (isRunActive(state.training.phase))
    return 'Stop the training run (or let it finish) first: both would share the GPU.';
  return null;
}
