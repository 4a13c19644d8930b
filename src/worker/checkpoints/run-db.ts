/**
 * Saved runs in IndexedDB (through idb): run records, checkpoint bytes and the working-size data sets.
 * A checkpoint is written under a new key in its own transaction; only when that has committed does a
 * second, small transaction switch the run record to it and delete the old one. A crash or a full quota
 * during the write leaves the previous checkpoint and record untouched.
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { SavedRunInfo, StorageEstimate } from '../../protocol/runs';
import {
  type CheckpointMeta,
  nextCheckpointKey,
  orphanCheckpointKeys,
  type RunRecord,
  runInfo,
  sortRuns,
  switchRecord,
  unusedDatasetKeys,
} from './save-plan';

/** The working-size images of a data set, as ImageStore holds them. */
export interface StoredDataset {
  size: number;
  count: number;
  pixels: Uint8Array;
  paths: string[];
}

interface RunsSchema extends DBSchema {
  runs: { key: string; value: RunRecord };
  checkpoints: { key: string; value: Uint8Array };
  datasets: { key: string; value: StoredDataset };
}

const DB_NAME = 'simclr-tab-runs';
let dbPromise: Promise<IDBPDatabase<RunsSchema>> | null = null;

function db(): Promise<IDBPDatabase<RunsSchema>> {
  dbPromise ??= openDB<RunsSchema>(DB_NAME, 1, {
    upgrade(database) {
      database.createObjectStore('runs', { keyPath: 'id' });
      database.createObjectStore('checkpoints');
      database.createObjectStore('datasets');
    },
  });
  return dbPromise;
}

export async function hasDataset(key: string): Promise<boolean> {
  return (await (await db()).getKey('datasets', key)) !== undefined;
}

export async function putDataset(key: string, dataset: StoredDataset): Promise<void> {
  await (await db()).put('datasets', dataset, key);
}

export async function getDataset(key: string): Promise<StoredDataset | undefined> {
  return (await db()).get('datasets', key);
}

export async function getRun(runId: string): Promise<RunRecord | undefined> {
  return (await db()).get('runs', runId);
}

/** Test-only (worker/test-hooks.ts): a wait between writing a checkpoint and switching to it. */
export const injectedSwitchDelay = { ms: 0 };

/** Write new, then switch. Throws (with nothing switched) when the write fails. */
export async function saveCheckpoint(meta: CheckpointMeta, bytes: Uint8Array): Promise<RunRecord> {
  const database = await db();
  const previous = await database.get('runs', meta.runId);
  const written = nextCheckpointKey(previous, meta.runId);
  const write = database.transaction('checkpoints', 'readwrite');
  await Promise.all([write.store.put(bytes, written.key), write.done]);
  if (injectedSwitchDelay.ms > 0) await new Promise((resolve) => setTimeout(resolve, injectedSwitchDelay.ms));
  const swap = database.transaction(['runs', 'checkpoints'], 'readwrite');
  // Re-read inside the switch: a concurrent delete of the run wins (its new checkpoint is then dropped).
  const current = await swap.objectStore('runs').get(meta.runId);
  if (previous && !current) {
    await Promise.all([swap.objectStore('checkpoints').delete(written.key), swap.done]);
    throw new Error('The run was deleted while it was being saved.');
  }
  const { record, obsoleteKey } = switchRecord(current, meta, written);
  const puts: Promise<unknown>[] = [swap.objectStore('runs').put(record)];
  if (obsoleteKey) puts.push(swap.objectStore('checkpoints').delete(obsoleteKey));
  await Promise.all([...puts, swap.done]);
  return record;
}

export async function loadCheckpoint(record: RunRecord): Promise<Uint8Array> {
  const bytes = await (await db()).get('checkpoints', record.checkpointKey);
  if (!bytes) throw new Error(`The checkpoint of this run is missing from browser storage.`);
  return bytes;
}

export async function deleteRun(runId: string): Promise<void> {
  const database = await db();
  const tx = database.transaction(['runs', 'checkpoints', 'datasets'], 'readwrite');
  const record = await tx.objectStore('runs').get(runId);
  if (record) {
    await tx.objectStore('runs').delete(runId);
    await tx.objectStore('checkpoints').delete(record.checkpointKey);
    const others = (await tx.objectStore('runs').getAll()).filter((r) => r.id !== runId);
    if (!others.some((r) => r.datasetKey === record.datasetKey))
      await tx.objectStore('datasets').delete(record.datasetKey);
  }
  await tx.done;
}

/** Every saved run, newest first; sweeps checkpoints and data sets left behind by interrupted saves. */
export async function listRuns(): Promise<SavedRunInfo[]> {
  const database = await db();
  const tx = database.transaction(['runs', 'checkpoints', 'datasets'], 'readwrite');
  const records = await tx.objectStore('runs').getAll();
  const checkpointKeys = (await tx.objectStore('checkpoints').getAllKeys()) as string[];
  const datasetKeys = (await tx.objectStore('datasets').getAllKeys()) as string[];
  for (const key of orphanCheckpointKeys(records, checkpointKeys)) await tx.objectStore('checkpoints').delete(key);
  for (const key of unusedDatasetKeys(records, datasetKeys)) await tx.objectStore('datasets').delete(key);
  await tx.done;
  return sortRuns(records.map((r) => runInfo(r, records)));
}

export async function storageEstimate(): Promise<StorageEstimate> {
  try {
    const estimate = await navigator.storage.estimate();
    return { usage: estimate.usage ?? null, quota: estimate.quota ?? null };
  } catch {
    return { usage: null, quota: null };
  }
}
