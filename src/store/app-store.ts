/**
 * The one zustand store, made of slices. Only serializable data lives here: large buffers (thumbnails,
 * metric series) live in client/ holders and are redrawn at animation-frame pace.
 */
import { create } from 'zustand';
import type { WorkerEvent } from '../protocol/messages';
import { type AugmentPreviewState, augmentPreviewReducer, initialAugmentPreviewState } from './augment-preview/state';
import { type DatasetState, datasetReducer, initialDatasetState } from './dataset/state';
import { type ErrorsState, errorsReducer, initialErrorsState } from './errors/state';
import { type EvaluationState, evaluationReducer, initialEvaluationState } from './evaluation/state';
import { type ExportState, exportReducer, initialExportState } from './exporting/state';
import { initialRunsState, type RunsState, runsReducer } from './runs/state';
import { initialTrainingState, type TrainingState, trainingReducer } from './training/state';

export interface AppState {
  dataset: DatasetState;
  training: TrainingState;
  exporting: ExportState;
  errors: ErrorsState;
  augmentPreview: AugmentPreviewState;
  evaluation: EvaluationState;
  runs: RunsState;
}

export const initialAppState = (): AppState => ({
  dataset: initialDatasetState(),
  training: initialTrainingState(),
  exporting: initialExportState(),
  errors: initialErrorsState(),
  augmentPreview: initialAugmentPreviewState(),
  evaluation: initialEvaluationState(),
  runs: initialRunsState(),
});

export const useAppStore = create<AppState>()(initialAppState);

/** Every slice's answer to one worker event; slices an event does not concern keep their identity. */
export function reduceEvent(state: AppState, event: WorkerEvent): AppState {
  return {
    dataset: datasetReducer(state.dataset, event),
    training: trainingReducer(state.training, event),
    exporting: exportReducer(state.exporting, event),
    errors: errorsReducer(state.errors, event),
    augmentPreview: augmentPreviewReducer(state.augmentPreview, event),
    evaluation: evaluationReducer(state.evaluation, event),
    runs: runsReducer(state.runs, event),
  };
}

/** Back to the initial state (tests). */
export function resetStore(): void {
  useAppStore.setState(initialAppState(), true);
}
