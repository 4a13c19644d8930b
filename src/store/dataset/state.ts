/** Dataset slice: what was loaded, what is loading, what was skipped. Serializable data only. */
import { type DataConfig, DEFAULT_DATA_CONFIG } from '../../protocol/config';
import type { DatasetFolders } from '../../protocol/evaluation';
import type { SkippedFile } from '../../protocol/messages';
import { isWorkerCrash } from '../events';
import { type EventOf, unhandledEvent } from '../slice-events';

export interface IngestState {
  requestId: number;
  processed: number;
  total: number;
  accepted: number;
  skipped: number;
}

export interface DatasetState {
  /** Images the worker holds. */
  imageCount: number;
  dataConfig: DataConfig;
  /** Reading a dropped folder (files found so far), before anything is sent to the worker. */
  walking: { found: number } | null;
  /** Downloading the sample set. */
  sample: { loaded: number; total: number } | null;
  /** The worker is decoding images. */
  ingest: IngestState | null;
  /** Every file that was not added since the last clear, with the reason. */
  skipped: SkippedFile[];
  /** Outcome of the last load, as a sentence. */
  lastResult: string | null;
  /** The folders the loaded images are in (null before the first load finished). */
  folders: DatasetFolders | null;
  /** The person's answer to "are the folder names labels?" for these folders; null: not answered yet. */
  folderLabels: boolean | null;
}

export const initialDatasetState = (): DatasetState => ({
  imageCount: 0,
  dataConfig: { ...DEFAULT_DATA_CONFIG },
  walking: null,
  sample: null,
  ingest: null,
  skipped: [],
  lastResult: null,
  folders: null,
  folderLabels: null,
});

/** The folder names could be labels and the person has not said whether they are. */
export function folderQuestionOpen(state: DatasetState): boolean {
  return (state.folders?.names.length ?? 0) >= 2 && state.folderLabels === null;
}

export function isLoading(state: DatasetState): boolean {
  return state.walking !== null || state.sample !== null || state.ingest !== null;
}

/** Files were handed to the worker under `requestId`; `clientSkipped` could not even be read. */
export function beginIngest(
  state: DatasetState,
  requestId: number,
  total: number,
  clientSkipped: readonly SkippedFile[],
): DatasetState {
  return {
    ...state,
    walking: null,
    sample: null,
    ingest: { requestId, processed: 0, total, accepted: 0, skipped: 0 },
    skipped: clientSkipped.length ? [...state.skipped, ...clientSkipped] : state.skipped,
  };
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The worker events this slice answers; store/app-store.ts routes only these here. */
export const DATASET_EVENTS = ['ingestProgress', 'ingestDone', 'imagesCleared', 'datasetFolders', 'error'] as const;
export type DatasetEvent = EventOf<(typeof DATASET_EVENTS)[number]>;

export function datasetReducer(state: DatasetState, event: DatasetEvent): DatasetState {
  switch (event.type) {
    case 'ingestProgress': {
      if (state.ingest?.requestId !== event.requestId) return state;
      const { processed, total, accepted, skipped } = event;
      return { ...state, ingest: { requestId: event.requestId, processed, total, accepted, skipped } };
    }
    case 'ingestDone': {
      const skippedText = event.skipped.length ? `, ${plural(event.skipped.length, 'file', 'files')} skipped` : '';
      const verb = event.cancelled ? 'Loading cancelled: added' : 'Added';
      return {
        ...state,
        imageCount: event.imageCount,
        ingest: state.ingest?.requestId === event.requestId ? null : state.ingest,
        skipped: event.skipped.length ? [...state.skipped, ...event.skipped] : state.skipped,
        lastResult: `${verb} ${plural(event.added, 'image', 'images')}${skippedText}.`,
      };
    }
    case 'imagesCleared':
      return {
        ...state,
        imageCount: 0,
        ingest: null,
        skipped: [],
        lastResult: null,
        folders: null,
        folderLabels: null,
      };
    case 'datasetFolders': {
      const { type: _, ...folders } = event;
      // The answer for these folders is looked up when the event arrives (store/dataset/folder-labels.ts).
      return { ...state, folders, folderLabels: null };
    }
    case 'error':
      if (isWorkerCrash(event)) return { ...state, ingest: null, walking: null, sample: null };
      if (event.requestId !== null && state.ingest?.requestId === event.requestId) return { ...state, ingest: null };
      return state;
    default:
      return unhandledEvent(event);
  }
}
