/**
 * Autosave policy and the save itself: after step 1, every N steps, every M minutes, and at the end of
 * a run, the full training state goes to IndexedDB (data set first, once per fingerprint). A failed save
 * is reported with what was kept; training never stops for it.
 */
import { serializeTrainingState } from '../../core/checkpoint/serialize';
import type { ImageStore } from '../../core/data/image-store';
import { toErrorInfo } from '../../protocol/messages';
import type { Emit } from '../ingest';
import type { RunCheckpointer, TrainingRun } from '../training-run';
import { datasetToStore } from './dataset-storage';
import { exclusive } from './exclusive';
import { hasDataset, putDataset, saveCheckpoint } from './run-db';
import { describeStorageError } from './save-plan';

export interface AutosavePolicy {
  everySteps: number;
  everyMinutes: number;
}

/**
 * Whether step `step` (1-based, just done) should be saved. Step 1 is: a reload early in a run then
 * finds the run (and its data set, written with the first checkpoint) instead of nothing.
 */
export function isSaveDue(policy: AutosavePolicy, step: number, total: number, msSinceSave: number): boolean {
  if (policy.everySteps <= 0 && policy.everyMinutes <= 0) return false;
  if (step === 1 || step === total) return true;
  if (policy.everySteps > 0 && step % policy.everySteps === 0) return true;
  return policy.everyMinutes > 0 && msSinceSave >= policy.everyMinutes * 60_000;
}

export class Autosave implements RunCheckpointer {
  savedStep: number | null;
  private lastSaveAt = performance.now();
  private lastError = '';

  private readonly policy: AutosavePolicy;

  constructor(
    readonly runId: string,
    config: { checkpointEverySteps: number; checkpointEveryMinutes: number },
    private readonly store: ImageStore,
    private readonly fingerprint: string,
    private readonly emit: Emit,
    private readonly onSaved: () => void,
    savedStep: number | null = null,
  ) {
    this.savedStep = savedStep;
    this.policy = { everySteps: config.checkpointEverySteps, everyMinutes: config.checkpointEveryMinutes };
  }

  due(step: number, total: number): boolean {
    return isSaveDue(this.policy, step, total, performance.now() - this.lastSaveAt);
  }

  async save(run: TrainingRun): Promise<void> {
    const step = run.step;
    this.emit({ type: 'checkpointSaving', runId: this.runId, step });
    try {
      const state = await run.capture();
      const bytes = serializeTrainingState(state);
      await exclusive(async () => {
        let datasetBytes = this.store.length * this.store.imageBytes;
        if (!(await hasDataset(this.fingerprint))) {
          const dataset = datasetToStore(this.store);
          datasetBytes = dataset.pixels.byteLength;
          await putDataset(this.fingerprint, dataset);
        }
        await saveCheckpoint(
          {
            runId: this.runId,
            step,
            totalSteps: run.total,
            lastLoss: run.lastLoss,
            config: run.config,
            imageCount: this.store.length,
            storeSize: this.store.size,
            datasetKey: this.fingerprint,
            datasetBytes,
            bytes: bytes.byteLength,
            now: new Date().toISOString(),
          },
          bytes,
        );
      });
      this.savedStep = step;
      this.lastError = '';
      this.emit({ type: 'checkpointSaved', runId: this.runId, step });
      this.onSaved();
    } catch (error) {
      this.emit({ type: 'checkpointFailed', runId: this.runId, step });
      const message = describeStorageError(error, step, this.savedStep);
      // One banner per kind of failure, not one per autosave.
      if (message.replace(/step \d+/g, '') !== this.lastError) {
        this.emit({
          type: 'error',
          requestId: null,
          context: 'Saving a checkpoint',
          error: { name: toErrorInfo(error).name, message },
        });
      }
      this.lastError = message.replace(/step \d+/g, '');
    } finally {
      this.lastSaveAt = performance.now();
    }
  }
}
