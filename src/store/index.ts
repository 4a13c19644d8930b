export { useShallow } from 'zustand/react/shallow';
export { type AppState, resetStore, useAppStore } from './app-store';
export * from './augment-preview/actions';
export type { AugmentPreviewState, PreviewViews } from './augment-preview/state';
export * from './buffers';
export { connectWorker } from './connect';
export * from './dataset/actions';
export { answerFolderLabels } from './dataset/folder-labels';
export type { DatasetState, IngestState } from './dataset/state';
export { folderQuestionOpen, isLoading } from './dataset/state';
export * from './errors/actions';
export type { AppError } from './errors/state';
export * from './evaluation/actions';
export type {
  EvaluationState,
  MapFilter,
  MapProjection,
  NeighbourItem,
  ProbeState,
  SearchQuery,
  SearchState,
} from './evaluation/state';
export * from './exporting/actions';
export * from './fine-tune/actions';
export type { ClassifiedImage, FineTuneState } from './fine-tune/state';
export * from './runs/actions';
export type { RunsState } from './runs/state';
export * from './selectors';
export * from './training/actions';
export * from './training/auto-actions';
export type { AutoConfigState } from './training/auto-config';
export { chooseStartWeights, clearStartWeights } from './training/start-weights';
export { type BackendStatus, isRunActive, type LastMetrics } from './training/state';
