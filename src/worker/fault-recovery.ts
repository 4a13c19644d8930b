/**
 * Keeps a run going through faults that are not the person's doing:
 * - the GPU device is lost (driver reset, another app took the GPU): the run pauses, the WebGPU backend
 *   is re-created and the run continues from the last good state kept in memory;
 * - out of memory at a batch size: the run starts again at half the batch, with a message.
 * Anything else ends the run in 'error' and is rethrown. While a recovery works, the run is 'paused' with
 * what is being done; then a `recovered` event says what was done. A failed recovery ends in 'error'.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { firstNonFinite } from '../core/checkpoint/finite';
import type { TrainingState } from '../core/checkpoint/training-state';
import type { TrainConfig } from '../protocol/config';
import type { FaultKind } from '../protocol/messages';
import { TrainingDivergedError } from './divergence';
import { classifyFault } from './faults';
import type { Emit } from './ingest';
import type { RunCheckpointer, TrainingRun, TrainingRunOptions } from './training-run';

/** Half the batch (at least 2), or null when it cannot shrink further. */
export function smallerBatch(batchSize: number): number | null {
  const half = Math.floor(batchSize / 2);
  return half >= 2 && half < batchSize ? half : null;
}

/** Watches the WebGPU device for loss; re-arm after the backend is re-created. */
export class DeviceWatch {
  lost = false;
  reason = '';
  private lostPromise: Promise<void> | null = null;

  arm(): void {
    this.lost = false;
    this.reason = '';
    this.lostPromise = null;
    if (tf.getBackend() !== 'webgpu') return;
    const device = (tf.backend() as WebGPUBackend).device;
    this.lostPromise = device.lost.then((info) => {
      this.lost = true;
      this.reason = info.message || info.reason || 'unknown reason';
    });
  }

  /**
   * Whether the device is lost, waiting up to `ms` for its `lost` promise: an error from a mapAsync or
   * a submit can arrive before the promise settles.
   */
  async settle(ms = 2_000): Promise<boolean> {
    if (this.lost || !this.lostPromise) return this.lost;
    await Promise.race([this.lostPromise, new Promise((resolve) => setTimeout(resolve, ms))]);
    return this.lost;
  }
}

/** Drops the dead WebGPU backend and starts a fresh one on a new device (same factory as at start-up). */
export async function recreateWebGpuBackend(): Promise<void> {
  const factory = tf.findBackendFactory('webgpu');
  if (!factory) throw new Error('The WebGPU backend is not registered.');
  tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', factory, 3);
  if (!(await tf.setBackend('webgpu'))) throw new Error('WebGPU could not start again on a new device.');
  await tf.ready();
}

/** The run's config with the augmentation it uses now (it may have been changed during the run). */
function configInUse(run: TrainingRun): TrainConfig {
  return { ...run.config, augment: run.currentAugment };
}

/** Everything a run kept in memory is gone with its device: disposing it must not throw. */
function disposeQuietly(run: TrainingRun): void {
  try {
    run.dispose();
  } catch {
    // Tensors of a removed backend cannot be released any more; the backend took them with it.
  }
}

export interface KeepStatePolicy {
  /** Keep a state after this many steps since the last one, */
  everySteps: number;
  /** or after this long. */
  everyMs: number;
}

/** Keeps every step after the first and then every 25 steps or 30 s: at most that much work is lost. */
export const DEFAULT_KEEP_POLICY: KeepStatePolicy = { everySteps: 25, everyMs: 30_000 };

/**
 * A checkpointer that also keeps the last good training state in memory (for device loss), wrapping
 * the autosave one when there is one.
 */
export class LastGoodState implements RunCheckpointer {
  state: TrainingState | null = null;
  private keptAt = 0;

  constructor(
    private readonly inner: RunCheckpointer | undefined,
    private readonly policy: KeepStatePolicy = DEFAULT_KEEP_POLICY,
  ) {}

  get savedStep(): number | null {
    return this.inner ? this.inner.savedStep : (this.state?.step ?? null);
  }

  /** Whether a state should be kept in memory after step `step`. */
  private keepDue(step: number): boolean {
    const keptStep = this.state?.step ?? 0;
    return (
      step === 1 || step - keptStep >= this.policy.everySteps || performance.now() - this.keptAt >= this.policy.everyMs
    );
  }

  due(step: number, total: number): boolean {
    return this.keepDue(step) || (this.inner?.due(step, total) ?? false);
  }

  /**
   * After a due step, keeps a state and/or lets the inner checkpointer save, each on its own schedule
   * (asked again now: the answers only move from no to yes as time passes). Otherwise (pause, stop, end
   * of the run) only the inner one saves.
   */
  async save(run: TrainingRun, afterDue: boolean): Promise<void> {
    const keep = afterDue && this.keepDue(run.step);
    const inner = !afterDue || (this.inner?.due(run.step, run.total) ?? false);
    if (keep) {
      try {
        // GPU-to-CPU sync: every weight and optimizer slot is read back (after step 1, then every 25 steps or 30 s).
        const state = await run.capture();
        // A state with NaN or Infinity in it is not good: keep the previous one to fall back on.
        if (firstNonFinite(state) === null) {
          this.state = state;
          this.keptAt = performance.now();
        }
      } catch {
        // Keep the previous good state.
      }
    }
    if (inner && this.inner) await this.inner.save(run, afterDue);
  }
}

export interface RecoveryHost {
  emit: Emit;
  watch: DeviceWatch;
  /** Builds a run of `config` with `options`. */
  makeRun(config: TrainConfig, options: TrainingRunOptions): TrainingRun;
  /** The session's options for a new run of `config` (checkpointer, fingerprint). */
  optionsFor(config: TrainConfig): TrainingRunOptions;
  /** The session's current run becomes `run` (worker/current-run.ts). */
  replaceRun(run: TrainingRun): void;
}

/** The session's options with a LastGoodState keeper wrapped around its checkpointer. */
export function withKeeper(options: TrainingRunOptions): TrainingRunOptions {
  return { ...options, checkpointer: new LastGoodState(options.checkpointer) };
}

/**
 * Runs `first` (built with `withKeeper` options) to its end, recovering from device loss and
 * out-of-memory as described above; other errors are rethrown. A recovery that fails itself ends the
 * run in 'error' with the reason, so the UI never waits on a paused run that cannot resume.
 */
export async function runWithRecovery(
  first: TrainingRun,
  firstOptions: TrainingRunOptions,
  host: RecoveryHost,
): Promise<void> {
  let run = first;
  let options = firstOptions;
  for (;;) {
    // What the failed step was, decided once (device loss may take the `lost` promise a moment to say).
    const decided: { fault: FaultKind | null } = { fault: null };
    const recoverable = async (error: unknown): Promise<boolean> => {
      if (error instanceof TrainingDivergedError) return true;
      decided.fault = classifyFault(error, await host.watch.settle());
      return decided.fault !== null;
    };
    try {
      await run.run(recoverable);
      return;
    } catch (error) {
      if (error instanceof TrainingDivergedError) return stopAtLastGoodState(error, run, options, host);
      // Anything else the run has already ended in 'error'.
      const fault = decided.fault;
      if (!fault) throw error;
      try {
        ({ run, options } = await recover(fault, error, run, options, host));
      } catch (failure) {
        const message = failure instanceof Error ? failure.message : String(failure);
        run.fail(`Recovery failed: ${message} Reload the page; saved runs can be resumed from their last checkpoint.`);
        throw failure;
      }
    }
  }
}

/**
 * A NaN or infinite loss stops the run: nothing more is trained on garbage, and the weights go back to
 * the last good state kept in memory, so export and embedding use a usable encoder.
 */
function stopAtLastGoodState(
  error: TrainingDivergedError,
  run: TrainingRun,
  options: TrainingRunOptions,
  host: RecoveryHost,
): void {
  const keeper = options.checkpointer instanceof LastGoodState ? options.checkpointer : null;
  const kept = keeper?.state ?? null;
  if (!kept) {
    run.fail(error.message);
    throw error;
  }
  disposeQuietly(run);
  const { from: _discarded, checkpointer: _noAutosave, ...rest } = options;
  const restored = host.makeRun(configInUse(run), { ...rest, from: kept });
  host.replaceRun(restored);
  const message = `${error.message} The weights were restored to step ${kept.step}, the last good state: download and embedding use them.`;
  restored.settle(message);
  host.emit({
    type: 'error',
    requestId: null,
    context: 'Training stopped',
    error: { name: error.name, message },
    kind: 'diverged',
  });
}

async function recover(
  fault: FaultKind,
  error: unknown,
  run: TrainingRun,
  options: TrainingRunOptions,
  host: RecoveryHost,
): Promise<{ run: TrainingRun; options: TrainingRunOptions }> {
  const keeper = options.checkpointer instanceof LastGoodState ? options.checkpointer : null;
  const recovered = (message: string) => host.emit({ type: 'recovered', fault, message });
  if (fault === 'device-lost') {
    const lostAt = run.step;
    const why = host.watch.reason || (error instanceof Error ? error.message : String(error));
    run.fault(`The GPU device was lost at step ${lostAt} (${why}): restarting the GPU backend…`);
    disposeQuietly(run);
    await recreateWebGpuBackend();
    host.watch.arm();
    const kept = keeper?.state ?? null;
    const { from: _discarded, ...rest } = options;
    const next = kept ? { ...rest, from: kept } : rest;
    const nextRun = host.makeRun(configInUse(run), next);
    host.replaceRun(nextRun);
    recovered(
      kept
        ? `The GPU device was lost at step ${lostAt}; the GPU backend was restarted and training continued from step ${kept.step}.`
        : `The GPU device was lost at step ${lostAt}, before any state was kept; the GPU backend was restarted and training started again.`,
    );
    return { run: nextRun, options: next };
  }
  const batch = smallerBatch(run.config.batchSize);
  if (batch === null) throw error;
  const smaller = { ...configInUse(run), batchSize: batch };
  const was = run.config.batchSize;
  run.fault(`Out of memory at batch size ${was}: retrying at batch size ${batch}…`);
  disposeQuietly(run);
  // The step plan the UI shows says why the batch is smaller than the one set.
  const planNote = `out of memory at batch size ${was}: batch halved`;
  const next = { ...withKeeper(host.optionsFor(smaller)), planNote };
  const nextRun = host.makeRun(smaller, next);
  host.replaceRun(nextRun);
  recovered(
    `Out of memory at batch size ${was}: training started again at batch size ${batch}. If it happens again, lower the image size or the width multiplier.`,
  );
  return { run: nextRun, options: next };
}
