/**
 * The one zustand store, made of slices. Only serializable data lives here: large buffers (thumbnails,
 * metric series) live in client/ holders and are redrawn at animation-frame pace.
 */
import { create } from 'zustand';
import type { WorkerEvent } from '../protocol/messages';
import {
  AUGMENT_PREVIEW_EVENTS,
  type AugmentPreviewState,
  augmentPreviewReducer,
  initialAugmentPreviewState,
} from './augment-preview/state';
import { DATASET_EVENTS, type DatasetState, datasetReducer, initialDatasetState } from './dataset/state';
import { ERRORS_EVENTS, type ErrorsState, errorsReducer, initialErrorsState } from './errors/state';
import { EVALUATION_EVENTS, type EvaluationState, evaluationReducer, initialEvaluationState } from './evaluation/state';
import { EXPORT_EVENTS, type ExportState, exportReducer, initialExportState } from './exporting/state';
import { FINE_TUNE_EVENTS, type FineTuneState, fineTuneReducer, initialFineTuneState } from './fine-tune/state';
import { initialRunsState, RUNS_EVENTS, type RunsState, runsReducer } from './runs/state';
import { isOneOf } from './slice-events';
import { initialTrainingState, TRAINING_EVENTS, type TrainingState, trainingReducer } from './training/state';

export interface AppState {
  dataset: DatasetState;
  training: TrainingState;
  exporting: ExportState;
  errors: ErrorsState;
  augmentPreview: AugmentPreviewState;
  evaluation: EvaluationState;
  runs: RunsState;
  fineTune: FineTuneState;
}

export const initialAppState = (): AppState => ({
  dataset: initialDatasetState(),
  training: initialTrainingState(),
  exporting: initialExportState(),
  errors: initialErrorsState(),
  augmentPreview: initialAugmentPreviewState(),
  evaluation: initialEvaluationState(),
  runs: initialRunsState(),
  fineTune: initialFineTuneState(),
});

export const useAppStore = create<AppState>()(initialAppState);

/** Each slice's answer to one worker event, for the slices that own it; the others keep their identity. */
export function reduceEvent(state: AppState, event: WorkerEvent): AppState {
  return {
    dataset: isOneOf(DATASET_EVENTS, event) ? datasetReducer(state.dataset, event) : state.dataset,
    training: isOneOf(TRAINING_EVENTS, event) ? trainingReducer(state.training, event) : state.training,
    exporting: isOneOf(EXPORT_EVENTS, event) ? exportReducer(state.exporting, event) : state.exporting,
    errors: isOneOf(ERRORS_EVENTS, event) ? errorsReducer(state.errors, event) : state.errors,
    augmentPreview: isOneOf(AUGMENT_PREVIEW_EVENTS, event)
      ? augmentPreviewReducer(state.augmentPreview, event)
      : state.augmentPreview,
    evaluation: isOneOf(EVALUATION_EVENTS, event) ? evaluationReducer(state.evaluation, event) : state.evaluation,
    runs: isOneOf(RUNS_EVENTS, event) ? runsReducer(state.runs, event) : state.runs,
    fineTune: isOneOf(FINE_TUNE_EVENTS, event) ? fineTuneReducer(state.fineTune, event) : state.fineTune,
  };
}

/** Back to the initial state (tests). */
export function resetStore(): void {
  useAppStore.setState(initialAppState(), true);
}
