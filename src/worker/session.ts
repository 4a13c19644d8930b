import { ImageStore } from '../core/data/image-store';
import { embedPixels } from '../core/eval/embed';
import { defineAllCustomKernels, selectKernels } from '../core/kernels';
import type { ProbeRequest } from '../protocol/auto-config-probe';
import { type BackendName, type KernelChoice, validateConfig } from '../protocol/config';
import { type Command, toErrorInfo, unhandled } from '../protocol/messages';
import { AugmentPreviewer, applyAugmentToRun } from './augment-preview';
import { type BackendRequest, establishBackend } from './backend-comparison';
import { RUNS_CONTEXT, RunsController } from './checkpoints/runs-controller';
import { ConfigProbe } from './config-probe';
import { CurrentRun } from './current-run';
import { announceFolders } from './dataset-folders';
import { DeviceWatch } from './device-watch';
import { decodeDroppedImage } from './dropped-image';
import { Evaluation } from './evaluation';
import { exportedEvent } from './export-metadata';
import { runWithRecovery, withKeeper } from './fault-recovery';
import { failureKind } from './faults';
import { FINE_TUNE_CONTEXT, FineTuner } from './fine-tune';
import { IncomingFiles } from './incoming-files';
import { type Emit, ingestFiles } from './ingest';
import { readStartWeights, startingWeights } from './start-weights';
import { TrainingRun, type TrainingRunOptions } from './training-run';

const ALL_BACKENDS: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** Handles commands from the UI: owns the backend, the image store and the current training run. */
export class Session {
  private backend: Promise<BackendName> | null = null;
  private store: ImageStore | null = null;
  /** The current training run: replaced only through it (worker/current-run.ts). */
  private readonly current: CurrentRun;
  private readonly previewer = new AugmentPreviewer((event, transfer) => this.emit(event, transfer));
  private ingestCancelled = false;
  /** Ingest requests run one after another, in the order they arrived. */
  private ingestQueue: Promise<void> = Promise.resolve();
  /** Files still arriving for each ingest request, by request id. */
  private readonly incoming = new Map<number, IncomingFiles>();
  private runsController: RunsController | null = null;
  /** Notices a lost WebGPU device (worker/fault-recovery.ts). */
  private readonly deviceWatch = new DeviceWatch();
  /** Embedding map, kNN monitor, neighbours and linear probe of the current run (worker/evaluation.ts). */
  private readonly evaluation: Evaluation;
  /** Fine-tuning with few labels on a copy of the current run's encoder (worker/fine-tune.ts). */
  private readonly fineTuner: FineTuner;
  /** Auto-configuration's probe (worker/config-probe.ts) while it runs, and its completion. */
  private probe: ConfigProbe | null = null;
  private probing: Promise<void> = Promise.resolve();
  /** Set by stopBackendComparison: the comparison under way ends with the fastest timed so far. */
  private comparisonStopped = false;
  /** `?kernels=` from init, kept for Measure again and the chooser. */
  private kernels: KernelChoice = 'custom';

  constructor(private readonly emit: Emit) {
    this.evaluation = new Evaluation(emit);
    this.fineTuner = new FineTuner(emit, __APP_VERSION__);
    this.current = new CurrentRun(this.evaluation);
  }

  private get run(): TrainingRun | null {
    return this.current.run;
  }

  /** Saved runs, resume, import and the bundle's embeddings (worker/checkpoints). */
  private get runs(): RunsController {
    this.runsController ??= new RunsController(this.emit, {
      store: () => this.store,
      setStore: (store) => {
        this.store = store;
      },
      run: () => this.run,
      replaceRun: (run) => this.current.replace(run, this.store),
      assertIdle: (action) => this.assertIdle(action),
      requireBackend: () => this.requireBackend(),
      explore: () => this.guard(null, 'embedding the data set', () => this.evaluation.fullPass()),
      train: (run, options, store) => this.trainWithRecovery(run, options, store),
    });
    return this.runsController;
  }

  async handle(command: Command): Promise<void> {
    switch (command.type) {
      case 'listRuns':
      case 'resumeRun':
      case 'deleteRun':
      case 'downloadCheckpoint':
      case 'importCheckpoint':
      case 'importRecipe':
      case 'embedDataset':
      case 'cancelEmbedDataset':
        if (['resumeRun', 'importCheckpoint', 'importRecipe'].includes(command.type)) await this.stopProbe();
        return this.guard(
          'requestId' in command ? command.requestId : null,
          RUNS_CONTEXT[command.type],
          () => this.runs.handle(command),
          command.type === 'resumeRun' ? 'resume' : undefined,
        );
      case 'fineTuneStart':
      case 'fineTunePause':
      case 'fineTuneResume':
      case 'fineTuneStop':
      case 'classifyImage':
      case 'exportClassifier':
        return this.guard('requestId' in command ? command.requestId : null, FINE_TUNE_CONTEXT[command.type], () =>
          this.fineTuner.handle(command, () => ({ run: this.run, store: this.store, evaluation: this.evaluation })),
        );
      case 'init':
        this.kernels = command.kernels;
        this.comparisonStopped = false;
        this.backend = this.initBackend({
          kind: 'init',
          choice: command.backend,
          kernels: command.kernels,
          remembered: command.remembered,
        });
        await this.backend.catch(() => undefined);
        return;
      case 'compareBackends':
        // Reset on arrival: a stop sent right after this command must not be undone later.
        this.comparisonStopped = false;
        return this.guard(
          null,
          'comparing the backends',
          () => this.switchBackend({ kind: 'measure', kernels: this.kernels }),
          'backend',
        );
      case 'stopBackendComparison':
        this.comparisonStopped = true;
        return;
      case 'chooseBackend':
        return this.guard(
          null,
          'switching the backend',
          () =>
            this.switchBackend({
              kind: 'pick',
              backend: command.backend,
              kernels: this.kernels,
              comparison: command.comparison,
            }),
          'backend',
        );
      case 'addImages': {
        this.probe?.cancel();
        this.ingestCancelled = false;
        // Created now, not when the queue reaches it: later chunks of this request append to it at once.
        const source = new IncomingFiles(command.total ?? command.files.length);
        source.push(command.files);
        this.incoming.set(command.requestId, source);
        this.ingestQueue = this.ingestQueue.then(() =>
          this.guard(command.requestId, 'loading images', () => this.addImages(command, source)).finally(() =>
            this.incoming.delete(command.requestId),
          ),
        );
        return this.ingestQueue;
      }
      case 'addImageFiles':
        this.incoming.get(command.requestId)?.push(command.files);
        return;
      case 'cancelIngest':
        this.ingestCancelled = true;
        for (const source of this.incoming.values()) source.end();
        return;
      case 'clearImages':
        return this.guard(null, 'clearing images', async () => {
          this.assertIdle('clear the images');
          this.probe?.cancel();
          this.store = null;
          this.previewer.release();
          this.evaluation.reset();
          this.emit({ type: 'imagesCleared' });
        });
      case 'start':
        return this.guard(null, 'training', () => this.start(command.config, command.weights));
      case 'pause':
        this.run?.pause();
        return;
      case 'resume':
        this.run?.resume();
        return;
      case 'stop':
        this.run?.stop();
        return;
      case 'continue':
        return this.guard(null, 'continuing the run', () => this.continueStopped());
      case 'export':
        return this.guard(command.requestId, 'exporting the encoder', () =>
          this.exportEncoder(command.requestId, command.withOptimizer),
        );
      case 'setAugment':
        return this.guard(null, 'changing the augmentation', async () =>
          applyAugmentToRun(this.run, command.augment, this.emit),
        );
      case 'previewAugment':
        return this.guard(command.requestId, 'previewing the augmentation', () =>
          this.previewer.preview(command, this.store, this.run),
        );
      case 'embedImage':
        return this.guard(command.requestId, `embedding ${command.file.name}`, () =>
          this.embedImage(command.requestId, command.file),
        );
      case 'configureEvaluation':
        this.evaluation.configure(command.config);
        return;
      case 'linearProbe':
        return this.guard(command.requestId, 'running the linear probe', () =>
          this.evaluation.probe(command.requestId),
        );
      case 'useFolderLabels':
        return this.guard(null, 'evaluating with folder labels', () => this.evaluation.setUseFolderLabels(command.use));
      case 'probeConfig':
        return this.guard(command.requestId, 'auto-configuring', () =>
          this.probeConfig(command.requestId, command.request),
        );
      case 'cancelProbeConfig':
        this.probe?.cancel();
        return;
      default:
        return unhandled(command);
    }
  }

  private async guard(
    requestId: number | null,
    context: string,
    action: () => Promise<void>,
    failed?: 'backend' | 'resume',
  ): Promise<void> {
    try {
      await action();
    } catch (error) {
      const kind = failureKind(error);
      this.emit({
        type: 'error',
        requestId,
        context,
        error: toErrorInfo(error),
        ...(failed ? { failed } : {}),
        ...(kind ? { kind } : {}),
      });
    }
  }

  /** Chooses and starts the backend (worker/backend-comparison.ts), then our kernels for it. */
  private async initBackend(request: BackendRequest): Promise<BackendName> {
    try {
      const established = await establishBackend(
        request,
        (message) => this.emit({ type: 'backendProgress', message }),
        () => this.comparisonStopped,
      );
      defineAllCustomKernels();
      // Only the running backend's kernels stay on (a pick or Measure again may leave another's on).
      for (const other of ALL_BACKENDS) if (other !== established.backend) selectKernels('stock', other);
      const customKernels = selectKernels(request.kernels, established.backend);
      this.emit({ type: 'backendReady', ...established, customKernels });
      return established.backend;
    } catch (error) {
      this.emit({
        type: 'error',
        requestId: null,
        context: 'starting the compute backend',
        error: toErrorInfo(error),
        failed: 'backend',
      });
      throw error;
    }
  }

  private requireBackend(): Promise<BackendName> {
    if (!this.backend)
      this.backend = this.initBackend({ kind: 'init', choice: 'auto', kernels: 'custom', remembered: null });
    return this.backend;
  }

  /**
   * Measure again, or the person's pick: only between runs. A stopped run's tensors move to the new
   * backend when next used (tfjs moves a tensor's data on access).
   */
  private async switchBackend(request: BackendRequest): Promise<void> {
    this.assertIdle('change the backend');
    await this.stopProbe();
    await this.backend?.catch(() => undefined);
    this.backend = this.initBackend(request);
    // initBackend reports its own failure.
    await this.backend.catch(() => undefined);
  }

  private assertIdle(action: string): void {
    if (this.run?.active) throw new Error(`Stop the current run before you ${action}.`);
    if (this.fineTuner.active) throw new Error(`Stop fine-tuning before you ${action}.`);
  }

  private async addImages(command: Extract<Command, { type: 'addImages' }>, source: IncomingFiles): Promise<void> {
    this.assertIdle('add images');
    const size = command.data.storeSize;
    if (this.store && this.store.length > 0 && this.store.size !== size) {
      throw new Error(
        `Images are already stored at ${this.store.size} px; press "Clear images" before loading at ${size} px.`,
      );
    }
    if (!this.store || this.store.size !== size) this.store = new ImageStore(size);
    const result = await ingestFiles(command.requestId, source, this.store, this.emit, () => this.ingestCancelled);
    this.emit({
      type: 'ingestDone',
      requestId: command.requestId,
      imageCount: this.store.length,
      added: result.added,
      skipped: result.skipped,
      cancelled: result.cancelled,
    });
    await announceFolders(this.store.paths, this.emit);
  }

  /** Times candidate configs on this device (worker/config-probe.ts); a newer request cancels an older one. */
  private async probeConfig(requestId: number, request: ProbeRequest): Promise<void> {
    this.assertIdle('auto-configure');
    const store = this.store;
    if (!store || store.length < 2) throw new Error('Load at least 2 images before auto-configuring.');
    const backend = await this.requireBackend();
    await this.stopProbe();
    const probe = new ConfigProbe(this.emit);
    this.probe = probe;
    this.probing = probe.run(requestId, request, store, backend).finally(() => {
      if (this.probe === probe) this.probe = null;
    });
    await this.probing;
  }

  /** Cancels a running probe and waits for its current step to finish (it never holds the GPU long). */
  private async stopProbe(): Promise<void> {
    this.probe?.cancel();
    await this.probing.catch(() => undefined);
  }

  private async start(config: Parameters<typeof validateConfig>[0], weightsFile?: File): Promise<void> {
    await this.stopProbe();
    this.assertIdle('start another');
    const store = this.store;
    const problems = validateConfig(config, store?.length ?? 0);
    if (!store || problems.length > 0) throw new Error(problems.join(' '));
    // Read and checked before the current run is replaced: a bad file leaves it as it was.
    const initialWeights = weightsFile ? await readStartWeights(weightsFile, config) : undefined;
    await this.requireBackend();
    this.current.clear();
    const options = withKeeper({ ...this.runs.optionsForNewRun(config, store), ...startingWeights(initialWeights) });
    const run = new TrainingRun(config, store, this.emit, options);
    this.current.replace(run, store);
    // The untrained encoder is the kNN monitor's first point; the last pass shows the final encoder.
    await this.guard(null, 'embedding the data set', () => this.evaluation.fullPass());
    await this.trainWithRecovery(run, options, store);
    await this.guard(null, 'embedding the data set', () => this.evaluation.fullPass());
  }

  /** Continue after Stop: the same run object trains on (weights, optimizer, sampler, generators, schedule). */
  private async continueStopped(): Promise<void> {
    await this.stopProbe();
    const run = this.run;
    if (!run || !this.store || !run.canContinueOn(this.store)) {
      throw new Error(
        'This run cannot continue: it finished, or the images changed since it stopped. Press Start for a new run.',
      );
    }
    run.continueAfterStop();
    await this.trainWithRecovery(run, run.options, this.store);
    await this.guard(null, 'embedding the data set', () => this.evaluation.fullPass());
  }

  /**
   * Trains `run` to its end; device loss, out-of-memory and divergence are handled by
   * worker/fault-recovery.ts. Fresh, resumed and imported runs all go through here.
   */
  private async trainWithRecovery(run: TrainingRun, options: TrainingRunOptions, store: ImageStore): Promise<void> {
    this.deviceWatch.arm();
    await runWithRecovery(run, options, {
      emit: this.emit,
      watch: this.deviceWatch,
      makeRun: (c, o) => new TrainingRun(c, store, this.emit, o),
      // A run started again (smaller batch after out-of-memory) starts from the same weights.
      optionsFor: (c) => ({ ...this.runs.optionsForNewRun(c, store), ...startingWeights(options.initialWeights) }),
      replaceRun: (next) => this.current.replace(next, store),
    });
  }

  private currentRun(action: string): TrainingRun {
    if (!this.run) throw new Error(`Train for at least one step before you ${action}.`);
    return this.run;
  }

  private async exportEncoder(requestId: number, withOptimizer: boolean): Promise<void> {
    const run = this.currentRun('download the encoder');
    const backend = await this.requireBackend();
    const { event, transfer } = await exportedEvent(requestId, run, backend, this.store, withOptimizer);
    this.emit(event, transfer);
  }

  private async embedImage(requestId: number, file: File): Promise<void> {
    const run = this.currentRun('embed an image');
    const size = run.config.imageSize;
    const embedding = await embedPixels(run.model.encoderModel, await decodeDroppedImage(file, size), 1, size);
    this.emit({ type: 'embedded', requestId, name: file.name, step: run.step, embedding }, [embedding.buffer]);
  }
}
