import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../../protocol/config';
import {
  type CheckpointMeta,
  describeStorageError,
  nextCheckpointKey,
  orphanCheckpointKeys,
  runInfo,
  switchRecord,
  unusedDatasetKeys,
} from './save-plan';

const meta = (step: number, now: string): CheckpointMeta => ({
  runId: 'run-a',
  step,
  totalSteps: 20,
  lastLoss: 2.5,
  config: DEFAULT_TRAIN_CONFIG,
  imageCount: 10,
  storeSize: 16,
  datasetKey: 'ds-1',
  datasetBytes: 7680,
  bytes: 1000,
  now,
});

describe('write-new-then-switch bookkeeping', () => {
  it('writes each checkpoint under a new key and retires the old one only at the switch', () => {
    const first = nextCheckpointKey(undefined, 'run-a');
    expect(first).toEqual({ key: 'run-a#1', sequence: 1 });
    const a = switchRecord(undefined, meta(10, 't1'), first);
    expect(a.obsoleteKey).toBeNull();
    expect(a.record.checkpointKey).toBe('run-a#1');

    const second = nextCheckpointKey(a.record, 'run-a');
    expect(second.key).not.toBe(a.record.checkpointKey);
    const b = switchRecord(a.record, meta(20, 't2'), second);
    expect(b.obsoleteKey).toBe('run-a#1');
    expect(b.record).toMatchObject({ checkpointKey: 'run-a#2', step: 20, createdAt: 't1', updatedAt: 't2' });
  });

  it('after a save interrupted before the switch, the old record still names the intact checkpoint and the new bytes are an orphan', () => {
    const a = switchRecord(undefined, meta(10, 't1'), nextCheckpointKey(undefined, 'run-a')).record;
    const written = nextCheckpointKey(a, 'run-a'); // write done, switch never happened
    const keys = [a.checkpointKey, written.key];
    expect(orphanCheckpointKeys([a], keys)).toEqual([written.key]);
    // The next save does not reuse the orphan's key while the record still points at #1.
    expect(nextCheckpointKey(a, 'run-a').key).toBe(written.key);
    expect(switchRecord(a, meta(30, 't3'), written).obsoleteKey).toBe('run-a#1');
  });

  it('keeps data sets that any run still uses', () => {
    const a = switchRecord(undefined, meta(10, 't1'), nextCheckpointKey(undefined, 'run-a')).record;
    expect(unusedDatasetKeys([a], ['ds-1', 'ds-2'])).toEqual(['ds-2']);
  });

  it('splits a shared data set among the runs that use it in the size shown', () => {
    const a = switchRecord(undefined, meta(10, 't1'), nextCheckpointKey(undefined, 'run-a')).record;
    const b = { ...a, id: 'run-b' };
    expect(runInfo(a, [a]).bytes).toBe(1000 + 7680);
    expect(runInfo(a, [a, b]).bytes).toBe(1000 + 3840);
  });
});

describe('describeStorageError', () => {
  it('names a full quota, the step lost and the checkpoint kept', () => {
    const quota = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    expect(describeStorageError(quota, 30, 20)).toMatch(
      /^Browser storage is full: the checkpoint at step 30 was not saved\. The previous checkpoint \(step 20\) is intact\./,
    );
    expect(describeStorageError(quota, 10, null)).toMatch(/No checkpoint of this run is stored yet/);
    expect(describeStorageError(new Error('boom'), 5, 4)).toMatch(/could not be saved \(Error: boom\)/);
  });
});
