/**
 * Keeps a run going through faults that are not the person's doing:
 * - the GPU device is lost (driver reset, another app took the GPU): the run pauses, the WebGPU backend
 *   is re-created and the run continues from the last good state kept in memory;
 * - out of memory at a batch size: the run starts again at half the batch, with a message.
 * Anything else is rethrown as before. Every recovery is said in the run's status line.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { firstNonFinite } from '../core/checkpoint/finite';
import type { TrainingState } from '../core/checkpoint/training-state';
import type { TrainConfig } from '../protocol/config';
import { TrainingDivergedError } from './divergence';
import type { Emit } from './ingest';
import type { RunCheckpointer, TrainingRun, TrainingRunOptions } from './training-run';

export type Fault = 'deviceLost' | 'outOfMemory';

const OOM = /out of memory|\bOOM\b|failed to allocate|allocation failed|exceeds the max|createBuffer failed/i;
const DEVICE_LOST = /device (is |was )?lost|GPUDevice.*(lost|destroyed)|device.*destroyed|instance dropped/i;

/** Which recoverable fault `error` is, or null. `deviceLost` is what the device's `lost` promise said. */
export function classifyFault(error: unknown, deviceLost: boolean): Fault | null {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (deviceLost || DEVICE_LOST.test(message)) return 'deviceLost';
  if (OOM.test(message)) return 'outOfMemory';
  return null;
}

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
 * the autosave one when there is one. Test hooks may inject a fault here (the loop calls `due` each step).
 */
export class LastGoodState implements RunCheckpointer {
  state: TrainingState | null = null;
  private keptAt = 0;
  /** What the last `due` decided: keep a state in memory, and/or let the inner checkpointer save. */
  private keepNext = false;
  private innerNext = false;
  /** Test-only: a step of a run whose config makes this return an error fails with it (worker/test-hooks.ts). */
  static injectedFault: ((config: TrainConfig) => Error | null) | null = null;

  constructor(
    private readonly inner: RunCheckpointer | undefined,
    private readonly config: TrainConfig,
    private readonly policy: KeepStatePolicy = DEFAULT_KEEP_POLICY,
  ) {}

  get savedStep(): number | null {
    return this.inner ? this.inner.savedStep : (this.state?.step ?? null);
  }

  due(step: number, total: number): boolean {
    const fault = LastGoodState.injectedFault?.(this.config);
    if (fault) throw fault;
    const keptStep = this.state?.step ?? 0;
    this.keepNext =
      step === 1 || step - keptStep >= this.policy.everySteps || performance.now() - this.keptAt >= this.policy.everyMs;
    this.innerNext = this.inner?.due(step, total) ?? false;
    return this.keepNext || this.innerNext;
  }

  /** Called after a step `due` asked for, or once at the end of a run (then only the inner one saves). */
  async save(run: TrainingRun): Promise<void> {
    const afterDue = this.keepNext || this.innerNext;
    const keep = this.keepNext;
    const inner = this.innerNext || !afterDue;
    this.keepNext = false;
    this.innerNext = false;
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
    if (inner && this.inner) await this.inner.save(run);
  }
}

export interface RecoveryHost {
  emit: Emit;
  watch: DeviceWatch;
  /** Builds a run of `config` with `options`. */
  makeRun(config: TrainConfig, options: TrainingRunOptions): TrainingRun;
  /** The session's options for a new run of `config` (checkpointer, fingerprint). */
  optionsFor(config: TrainConfig): TrainingRunOptions;
  /** The session's current run becomes `run` (the caller disposed the old one). */
  replaceRun(run: TrainingRun): void;
}

function status(emit: Emit, run: TrainingRun, message: string): void {
  emit({ type: 'trainState', phase: 'paused', step: run.step, totalSteps: run.total, message, canContinue: false });
}

/** A notice in the error banner: it stays after the status line moves on. */
function notice(emit: Emit, message: string): void {
  emit({ type: 'error', requestId: null, context: 'Training recovered', error: { name: 'Recovered', message } });
}

/** The session's options with a LastGoodState keeper wrapped around its checkpointer. */
export function withKeeper(options: TrainingRunOptions, config: TrainConfig): TrainingRunOptions {
  return { ...options, checkpointer: new LastGoodState(options.checkpointer, config) };
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
    try {
      await run.run();
      return;
    } catch (error) {
      if (error instanceof TrainingDivergedError) return stopAtLastGoodState(error, run, options, host);
      const fault = classifyFault(error, await host.watch.settle());
      if (!fault) throw error;
      try {
        ({ run, options } = await recover(fault, error, run, options, host));
      } catch (failure) {
        const message = failure instanceof Error ? failure.message : String(failure);
        host.emit({
          type: 'trainState',
          phase: 'error',
          step: run.step,
          totalSteps: run.total,
          message: `Recovery failed: ${message} Reload the page; saved runs can be resumed from their last checkpoint.`,
          canContinue: false,
        });
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
  if (!kept) throw error;
  disposeQuietly(run);
  const { from: _discarded, checkpointer: _noAutosave, ...rest } = options;
  const restored = host.makeRun(configInUse(run), { ...rest, from: kept });
  host.replaceRun(restored);
  const message = `${error.message} The weights were restored to step ${kept.step}, the last good state: download and embedding use them.`;
  restored.settle(message);
  host.emit({ type: 'error', requestId: null, context: 'Training stopped', error: { name: error.name, message } });
}

async function recover(
  fault: Fault,
  error: unknown,
  run: TrainingRun,
  options: TrainingRunOptions,
  host: RecoveryHost,
): Promise<{ run: TrainingRun; options: TrainingRunOptions }> {
  const keeper = options.checkpointer instanceof LastGoodState ? options.checkpointer : null;
  if (fault === 'deviceLost') {
    const lostAt = run.step;
    const why = host.watch.reason || (error instanceof Error ? error.message : String(error));
    status(host.emit, run, `The GPU device was lost at step ${lostAt} (${why}): restarting the GPU backend…`);
    disposeQuietly(run);
    await recreateWebGpuBackend();
    host.watch.arm();
    const kept = keeper?.state ?? null;
    const { from: _discarded, ...rest } = options;
    const next = kept ? { ...rest, from: kept } : rest;
    const nextRun = host.makeRun(configInUse(run), next);
    host.replaceRun(nextRun);
    notice(
      host.emit,
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
  status(host.emit, run, `Out of memory at batch size ${was}: retrying at batch size ${batch}…`);
  disposeQuietly(run);
  const next = withKeeper(host.optionsFor(smaller), smaller);
  const nextRun = host.makeRun(smaller, next);
  host.replaceRun(nextRun);
  notice(
    host.emit,
    `Out of memory at batch size ${was}: training started again at batch size ${batch}. If it happens again, lower the image size or the width multiplier.`,
  );
  return { run: nextRun, options: next };
}
