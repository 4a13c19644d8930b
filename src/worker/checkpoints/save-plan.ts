/**
 * The pure part of checkpoint storage: record bookkeeping for write-new-then-switch, orphan sweeping
 * and storage errors a person can act on. The IndexedDB calls are in run-db.ts.
 */
import type { TrainConfig } from '../../protocol/config';
import type { SavedRunInfo } from '../../protocol/runs';

/** The IndexedDB record of a saved run; its checkpoint bytes are stored under `checkpointKey`. */
export interface RunRecord {
  id: string;
  createdAt: string;
  updatedAt: string;
  step: number;
  totalSteps: number;
  lastLoss: number | null;
  config: TrainConfig;
  imageCount: number;
  storeSize: number;
  /** Key of the stored data set (its fingerprint). */
  datasetKey: string;
  datasetBytes: number;
  /** The checkpoint in use; a save writes a new key and switches to it only once that write is complete. */
  checkpointKey: string;
  checkpointBytes: number;
  /** Counter for new checkpoint keys. */
  sequence: number;
}

export interface CheckpointMeta {
  runId: string;
  step: number;
  totalSteps: number;
  lastLoss: number | null;
  config: TrainConfig;
  imageCount: number;
  storeSize: number;
  datasetKey: string;
  datasetBytes: number;
  bytes: number;
  now: string;
}

/** Key for the next checkpoint of a run: never the one in use, so the old one survives a failed write. */
export function nextCheckpointKey(previous: RunRecord | undefined, runId: string): { key: string; sequence: number } {
  const sequence = (previous?.sequence ?? 0) + 1;
  return { key: `${runId}#${sequence}`, sequence };
}

/**
 * The switch: the run record pointing at the freshly written checkpoint, and the key that became
 * obsolete (deleted in the same transaction as the switch).
 */
export function switchRecord(
  previous: RunRecord | undefined,
  meta: CheckpointMeta,
  written: { key: string; sequence: number },
): { record: RunRecord; obsoleteKey: string | null } {
  const record: RunRecord = {
    id: meta.runId,
    createdAt: previous?.createdAt ?? meta.now,
    updatedAt: meta.now,
    step: meta.step,
    totalSteps: meta.totalSteps,
    lastLoss: meta.lastLoss,
    config: meta.config,
    imageCount: meta.imageCount,
    storeSize: meta.storeSize,
    datasetKey: meta.datasetKey,
    datasetBytes: meta.datasetBytes,
    checkpointKey: written.key,
    checkpointBytes: meta.bytes,
    sequence: Math.max(written.sequence, previous?.sequence ?? 0),
  };
  const obsoleteKey = previous && previous.checkpointKey !== written.key ? previous.checkpointKey : null;
  return { record, obsoleteKey };
}

/** Checkpoint keys no record points at (left by a save interrupted between write and switch). */
export function orphanCheckpointKeys(records: readonly RunRecord[], keys: readonly string[]): string[] {
  const used = new Set(records.map((r) => r.checkpointKey));
  return keys.filter((k) => !used.has(k));
}

/** Data sets no record uses any more. */
export function unusedDatasetKeys(records: readonly RunRecord[], keys: readonly string[]): string[] {
  const used = new Set(records.map((r) => r.datasetKey));
  return keys.filter((k) => !used.has(k));
}

/** The list entry for a record; the data set's size is shared among the runs that use it. */
export function runInfo(record: RunRecord, records: readonly RunRecord[]): SavedRunInfo {
  const sharing = records.filter((r) => r.datasetKey === record.datasetKey).length || 1;
  return {
    id: record.id,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    step: record.step,
    totalSteps: record.totalSteps,
    lastLoss: record.lastLoss,
    encoder: record.config.encoder,
    imageCount: record.imageCount,
    storeSize: record.storeSize,
    bytes: record.checkpointBytes + Math.round(record.datasetBytes / sharing),
  };
}

export function sortRuns(runs: SavedRunInfo[]): SavedRunInfo[] {
  return [...runs].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.id.localeCompare(a.id));
}

function isQuotaError(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'QuotaExceededError' || (name === 'AbortError' && /quota/i.test(String(error)));
}

/** A storage failure as a message that says what happened to the run and what to do. */
export function describeStorageError(error: unknown, step: number, previousStep: number | null): string {
  const kept =
    previousStep === null
      ? 'No checkpoint of this run is stored yet.'
      : `The previous checkpoint (step ${previousStep}) is intact.`;
  if (isQuotaError(error)) {
    return `Browser storage is full: the checkpoint at step ${step} was not saved. ${kept} Training goes on; delete saved runs under "Saved runs" to make room.`;
  }
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `The checkpoint at step ${step} could not be saved (${detail}). ${kept} Training goes on.`;
}
