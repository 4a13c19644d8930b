/**
 * Saved runs, resume, import and the data-set embedding for the export bundle: the worker's side of
 * protocol/runs.ts. The Session owns the image store and the current run and lends them through `host`.
 */
import { datasetFingerprint } from '../../core/checkpoint/fingerprint';
import { trainingStateFromRecipe } from '../../core/checkpoint/from-recipe';
import { historyIntervals } from '../../core/checkpoint/history';
import { deserializeTrainingState, serializeTrainingState } from '../../core/checkpoint/serialize';
import type { TrainingState } from '../../core/checkpoint/training-state';
import { ImageStore } from '../../core/data/image-store';
import { embedStoredImages } from '../../core/export/embed-dataset';
import type { TrainConfig } from '../../protocol/config';
import { unhandled } from '../../protocol/messages';
import type { RecipeCheckpointFiles } from '../../protocol/recipe-config';
import type { RunsCommand } from '../../protocol/runs';
import { announceFolders } from '../dataset-folders';
import { withKeeper } from '../fault-recovery';
import { type Emit, THUMBNAIL_SIZE } from '../ingest';
import { TrainingRun, type TrainingRunOptions } from '../training-run';
import { Autosave } from './autosave';
import { announceRestoredImages, storeFromDataset } from './dataset-storage';
import { exclusive } from './exclusive';
import * as runDb from './run-db';

/** The recipe's files.txt (the app's paths as downloaded) lists the loaded images, in load order. */
function sameImages(paths: readonly string[], listed: readonly string[]): boolean {
  return paths.length === listed.length && paths.every((p, i) => p === listed[i]);
}

/** Thumbnails rebuilt for at most this many images (the grid's own cap for large sets). */
const MAX_RESTORED_THUMBNAILS = 10_000;
/** Images per inference batch when embedding the whole data set. */
const EMBED_BATCH = 64;

/** What each runs command is doing, for people (the context of its error). */
export const RUNS_CONTEXT = {
  listRuns: 'listing saved runs',
  resumeRun: 'resuming a saved run',
  deleteRun: 'deleting a saved run',
  downloadCheckpoint: 'downloading a checkpoint',
  importCheckpoint: 'importing',
  importRecipe: 'importing a PyTorch checkpoint',
  embedDataset: 'embedding the data set',
  cancelEmbedDataset: 'cancelling',
} as const satisfies Record<RunsCommand['type'], string>;

export interface SessionHost {
  store(): ImageStore | null;
  setStore(store: ImageStore): void;
  run(): TrainingRun | null;
  /** Makes `run` current (worker/current-run.ts: the previous one is disposed, the evaluation follows). */
  replaceRun(run: TrainingRun): void;
  assertIdle(action: string): void;
  requireBackend(): Promise<unknown>;
  /** Embeds the loaded images with the current run's encoder for the map and search (reports its own errors). */
  explore(): Promise<void>;
  /** Trains `run` (built with `options`) to its end, recovering from device loss, out-of-memory and divergence. */
  train(run: TrainingRun, options: TrainingRunOptions, store: ImageStore): Promise<void>;
}

function newRunId(): string {
  const random = Math.floor(Math.random() * 0x100000000)
    .toString(16)
    .padStart(8, '0');
  return `run-${new Date().toISOString().replace(/[:.]/g, '-')}-${random}`;
}

export class RunsController {
  private currentRunId: string | null = null;
  private embedCancelled = false;

  constructor(
    private readonly emit: Emit,
    private readonly host: SessionHost,
  ) {}

  /** Options for a fresh run: a new saved-run id and autosave into it. */
  optionsForNewRun(config: TrainConfig, store: ImageStore): TrainingRunOptions {
    const fingerprint = datasetFingerprint(store);
    this.currentRunId = newRunId();
    return {
      datasetFingerprint: fingerprint,
      checkpointer: this.autosave(this.currentRunId, config, store, fingerprint, null),
    };
  }

  private autosave(
    runId: string,
    config: TrainConfig,
    store: ImageStore,
    fingerprint: string,
    savedStep: number | null,
  ) {
    return new Autosave(
      runId,
      config,
      store,
      fingerprint,
      this.emit,
      () => void this.list().catch(() => undefined),
      savedStep,
    );
  }

  async handle(command: RunsCommand): Promise<void> {
    switch (command.type) {
      case 'listRuns':
        return this.list();
      case 'resumeRun':
        return this.resume(command.runId);
      case 'deleteRun':
        return this.delete(command.runId);
      case 'downloadCheckpoint':
        return this.download(command.requestId, command.runId);
      case 'importCheckpoint':
        return this.import(command.name, command.bytes);
      case 'importRecipe':
        return this.importRecipe(command.name, command.files);
      case 'embedDataset':
        return this.embedDataset(command.requestId);
      case 'cancelEmbedDataset':
        this.embedCancelled = true;
        return;
      default:
        return unhandled(command);
    }
  }

  async list(): Promise<void> {
    const runs = await exclusive(() => runDb.listRuns());
    this.emit({ type: 'runsList', runs, storage: await runDb.storageEstimate() });
  }

  private async delete(runId: string): Promise<void> {
    if (runId === this.currentRunId && this.host.run()?.active) {
      throw new Error('This run is training: stop it before you delete it.');
    }
    await exclusive(() => runDb.deleteRun(runId));
    await this.list();
  }

  private async download(requestId: number, runId: string): Promise<void> {
    const record = await runDb.getRun(runId);
    if (!record) throw new Error('This saved run no longer exists.');
    const bytes = await runDb.loadCheckpoint(record);
    const buffer = bytes.slice().buffer;
    const name = `simclr-checkpoint-${record.config.encoder}-step${record.step}.simclr`;
    this.emit({ type: 'checkpointFile', requestId, name, bytes: buffer }, [buffer]);
  }

  /** One click after a reload: the stored images come back, then training continues from the checkpoint. */
  private async resume(runId: string): Promise<void> {
    this.host.assertIdle('resume a saved run');
    const record = await runDb.getRun(runId);
    if (!record) throw new Error('This saved run no longer exists.');
    const dataset = await runDb.getDataset(record.datasetKey);
    if (!dataset) throw new Error('The images of this run are missing from browser storage; it cannot be resumed.');
    const state = deserializeTrainingState(await runDb.loadCheckpoint(record));
    const store = storeFromDataset(dataset);
    await this.host.requireBackend();
    this.host.setStore(store);
    announceRestoredImages(store, this.emit, THUMBNAIL_SIZE, MAX_RESTORED_THUMBNAILS);
    await announceFolders(store.paths, this.emit);
    await this.continueRun(
      runId,
      state,
      store,
      record.datasetKey,
      record.step,
      false,
      `Resumed from step ${state.step}.`,
    );
  }

  /** A checkpoint file (or the one in an export bundle): continue training if its images are loaded. */
  private async import(name: string, bytes: ArrayBuffer): Promise<void> {
    this.host.assertIdle('import a checkpoint');
    const state = deserializeTrainingState(new Uint8Array(bytes));
    await this.host.requireBackend();
    await this.restoreImported(name, state);
  }

  /** A PyTorch recipe checkpoint: it trains on here only when the loaded images are the ones it lists. */
  private async importRecipe(name: string, files: RecipeCheckpointFiles): Promise<void> {
    this.host.assertIdle('import a checkpoint');
    await this.host.requireBackend();
    const loaded = this.host.store();
    const listed = files.fileList?.split('\n').filter((line) => line.length > 0);
    const same = loaded !== null && listed !== undefined && sameImages(loaded.paths, listed);
    const state = await trainingStateFromRecipe(files, same && loaded ? datasetFingerprint(loaded) : '');
    await this.restoreImported(name, state);
  }

  private async restoreImported(name: string, state: TrainingState): Promise<void> {
    const loaded = this.host.store();
    const fingerprint = loaded && loaded.length > 0 ? datasetFingerprint(loaded) : null;
    const runId = newRunId();
    if (loaded && fingerprint === state.datasetFingerprint) {
      const message = `Imported ${name} at step ${state.step}: press Resume to continue training.`;
      await this.continueRun(runId, state, loaded, fingerprint, null, true, message);
      return;
    }
    const store = loaded ?? new ImageStore(state.config.imageSize);
    const run = this.restore(state, store, { datasetFingerprint: state.datasetFingerprint });
    this.currentRunId = null;
    const message =
      `Imported ${name} at step ${state.step}. The images it was trained on (${state.imageCount}) are not the ones loaded, ` +
      'so training cannot continue; the encoder is ready to embed and explore images and to download.';
    run.settle(message);
    this.emit({ type: 'runRestored', runId, config: state.config, step: state.step, canContinue: false, message });
    if (store.length >= 2) await this.host.explore();
  }

  /** Makes `state` the current run, autosaving into `runId`, and trains it on (through fault recovery). */
  private async continueRun(
    runId: string,
    state: TrainingState,
    store: ImageStore,
    fingerprint: string,
    savedStep: number | null,
    startPaused: boolean,
    message: string,
  ): Promise<void> {
    const options = withKeeper({
      datasetFingerprint: fingerprint,
      checkpointer: this.autosave(runId, state.config, store, fingerprint, savedStep),
      startPaused,
    });
    const run = this.restore(state, store, options);
    this.currentRunId = runId;
    this.emit({ type: 'runRestored', runId, config: state.config, step: state.step, canContinue: true, message });
    // The restored encoder's map (and search) at once, not only at the next "Map every" interval or the end.
    await this.host.explore();
    await this.host.train(run, { ...options, from: state }, store);
    await this.host.explore();
  }

  private restore(state: TrainingState, store: ImageStore, options: TrainingRunOptions): TrainingRun {
    const run = new TrainingRun(state.config, store, this.emit, { ...options, from: state });
    this.host.replaceRun(run);
    // Redraw the charts as they were: one metrics event per recorded interval.
    for (const interval of historyIntervals(state.history)) {
      this.emit({
        type: 'metrics',
        firstStep: interval.firstStep,
        losses: interval.losses,
        learningRates: interval.learningRates,
        // Nothing timed yet: the resumed run's step clock measures afresh.
        imagesPerSecond: null,
        etaSeconds: null,
        positiveSimilarity: interval.point.positive,
        negativeSimilarity: interval.point.negative,
        similarity: new Float32Array(0),
        similaritySize: 0,
      });
    }
    return run;
  }

  /** Embeds every image with the current encoder (inference mode), in batches, with progress and cancel. */
  private async embedDataset(requestId: number): Promise<void> {
    const run = this.host.run();
    const store = this.host.store();
    if (!run || run.step === 0) throw new Error('Train for at least one step before you download the bundle.');
    if (run.phase === 'running' || run.phase === 'preparing' || run.phase === 'stopping') {
      throw new Error('Pause or stop training before you download the bundle.');
    }
    this.embedCancelled = false;
    const startStep = run.step;
    const count = store?.length ?? 0;
    const size = run.config.imageSize;
    let dim = run.model.encoder.representationDim;
    const embeddings = new Float32Array(count * dim);
    for (let start = 0; store && start < count && !this.embedCancelled; start += EMBED_BATCH) {
      const n = Math.min(EMBED_BATCH, count - start);
      const rgb = new Uint8Array(n * store.imageBytes);
      for (let i = 0; i < n; i++) rgb.set(store.image(start + i), i * store.imageBytes);
      const h = await embedStoredImages(run.model.encoderModel, rgb, n, store.size, size);
      dim = h.length / n;
      embeddings.set(h, start * dim);
      this.emit({ type: 'embedDatasetProgress', requestId, done: start + n, total: count });
      await new Promise((resolve) => setTimeout(resolve, 0)); // let cancel through
    }
    if (run.step !== startStep) {
      throw new Error(
        'Training resumed while the bundle was being made: pause or stop it, then download the bundle again.',
      );
    }
    const cancelled = this.embedCancelled;
    const checkpoint = cancelled ? new ArrayBuffer(0) : serializeTrainingState(await run.capture()).buffer;
    const out = cancelled ? new Float32Array(0) : embeddings;
    this.emit(
      {
        type: 'datasetEmbedded',
        requestId,
        embeddings: out,
        count: cancelled ? 0 : count,
        dim,
        paths: cancelled ? [] : [...(store?.paths ?? [])],
        datasetFingerprint: store && count > 0 ? datasetFingerprint(store) : '',
        checkpoint: checkpoint as ArrayBuffer,
        cancelled,
      },
      [out.buffer, checkpoint as ArrayBuffer],
    );
  }
}
