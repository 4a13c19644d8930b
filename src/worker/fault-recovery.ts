/**
 * Keeps a run going through faults that are not the person's doing:
 * - the GPU device is lost (driver reset, another app took the GPU): the run pauses, the WebGPU backend
 *   is re-created and the run continues from the last good state kept in memory;
 * - out of memory at a batch size: the run starts again at half the batch, with a message.
 * Anything else ends the run in 'error' and is rethrown. While a recovery works, the run is 'paused' with
 * what is being done; then a `recovered` event says what was done. A failed recovery ends in 'error'.
 */
import type { TrainConfig } from '../protocol/config';
import type { FaultKind } from '../protocol/messages';
import { type DeviceWatch, recreateWebGpuBackend } from './device-watch';
import { TrainingDivergedError } from './divergence';
import { classifyFault } from './faults';
import type { Emit } from './ingest';
import { LastGoodState } from './last-good-state';
import type { TrainingRun, TrainingRunOptions } from './training-run';

/** Half the batch (at least 2), or null when it cannot shrink further. */
export function smallerBatch(batchSize: number): number | null {
  const half = Math.floor(batchSize / 2);
  return half >= 2 && half < batchSize ? half : null;
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
