/** Saved runs (checkpoints in browser storage), import and the export bundle: payloads of their messages. */
import type { TrainConfig } from './config';
import type { RecipeCheckpointFiles } from './recipe-config';

/** One saved run as the "Saved runs" list shows it. */
export interface SavedRunInfo {
  id: string;
  createdAt: string;
  /** When its latest checkpoint was written. */
  updatedAt: string;
  step: number;
  totalSteps: number;
  lastLoss: number | null;
  encoder: TrainConfig['encoder'];
  imageCount: number;
  storeSize: number;
  /** Checkpoint plus its share of the stored data set, in bytes. */
  bytes: number;
}

export interface StorageEstimate {
  usage: number | null;
  quota: number | null;
}

export type RunsCommand =
  | { type: 'listRuns' }
  | { type: 'resumeRun'; runId: string }
  | { type: 'deleteRun'; runId: string }
  | { type: 'downloadCheckpoint'; requestId: number; runId: string }
  /** A checkpoint file, or the checkpoint found in an export bundle, to continue from. */
  | { type: 'importCheckpoint'; requestId: number; name: string; bytes: ArrayBuffer }
  /** A PyTorch recipe checkpoint folder (pytorch/recipe/train.py), unzipped by the client. */
  | { type: 'importRecipe'; requestId: number; name: string; files: RecipeCheckpointFiles }
  /** Embeddings of the whole data set with the current encoder, for the export bundle. */
  | { type: 'embedDataset'; requestId: number }
  | { type: 'cancelEmbedDataset' };

export type RunsEvent =
  | { type: 'runsList'; runs: SavedRunInfo[]; storage: StorageEstimate }
  /** A checkpoint of step `step` is being written (autosave, Pause or Stop). */
  | { type: 'checkpointSaving'; runId: string; step: number }
  /** A checkpoint was written (autosave, Pause or Stop). */
  | { type: 'checkpointSaved'; runId: string; step: number }
  /** Writing the checkpoint of step `step` failed; the previous one is intact (an 'error' event says why). */
  | { type: 'checkpointFailed'; runId: string; step: number }
  /** A run was restored (from a saved run or an import): the UI takes its config. */
  | { type: 'runRestored'; runId: string; config: TrainConfig; step: number; canContinue: boolean; message: string }
  | { type: 'checkpointFile'; requestId: number; name: string; bytes: ArrayBuffer }
  | { type: 'embedDatasetProgress'; requestId: number; done: number; total: number }
  | {
      type: 'datasetEmbedded';
      requestId: number;
      /** count x dim float32, row i is image i of `paths`. */
      embeddings: Float32Array;
      count: number;
      dim: number;
      paths: string[];
      datasetFingerprint: string;
      /** The run's checkpoint, so the bundle can continue training after import. */
      checkpoint: ArrayBuffer;
      cancelled: boolean;
    };
