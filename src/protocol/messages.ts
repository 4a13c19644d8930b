/**
 * Commands (UI -> worker) and events (worker -> UI), as discriminated unions on `type`.
 * Large data crosses as typed arrays whose buffers are transferred.
 */
import type { AugmentCommand, AugmentEvent } from './augment';
import type { ProbeProgress, ProbeRequest, ProbeResult } from './auto-config-probe';
import type { BackendComparison, BackendDecision, RememberedBackend } from './backend-comparison';
import type { BackendChoice, BackendName, DataConfig, KernelChoice, ModelInputSpec, TrainConfig } from './config';
import type { DatasetFolders, EmbeddingsPayload, EvalConfig, HealthPayload, ProbePayload } from './evaluation';
import type { FineTuneCommand, FineTuneEvent } from './fine-tune';
import type { RunsCommand, RunsEvent } from './runs';
import type { StepPlan } from './step-memory';

/** A fault the worker recovers from by itself (worker/fault-recovery.ts). */
export type FaultKind = 'out-of-memory' | 'device-lost';

/** What kind of failure an error is, for code to branch on (the message is for people). */
export type FailureKind = FaultKind | 'diverged';

export interface ErrorInfo {
  name: string;
  message: string;
}

/** A file handed to the worker, with the path it had inside a dropped folder ('' when none). */
export interface InputFile {
  file: File;
  path: string;
}

export type Command =
  /**
   * `backend`: `?backend=` from the URL ('auto' compares the backends); `remembered`: the choice kept in
   * localStorage, used when its hardware key matches this device's (protocol/backend-comparison.ts).
   */
  | { type: 'init'; backend: BackendChoice; kernels: KernelChoice; remembered: RememberedBackend | null }
  /** "Measure again": time every backend again and switch to the fastest (only between runs). */
  | { type: 'compareBackends' }
  /** Stop comparing: the fastest backend timed so far is used (the step under way finishes first). */
  | { type: 'stopBackendComparison' }
  /** The person's pick in the backend chooser; `comparison` is the last one, kept for the message. */
  | { type: 'chooseBackend'; backend: BackendName; comparison: BackendComparison | null }
  /** Starts loading `total` files (default: files.length); the rest follow as addImageFiles chunks. */
  | { type: 'addImages'; requestId: number; files: InputFile[]; data: DataConfig; total?: number }
  | { type: 'addImageFiles'; requestId: number; files: InputFile[] }
  | { type: 'cancelIngest' }
  | { type: 'clearImages' }
  /** `weights`: a .safetensors file the encoder starts from (protocol/start-weights.ts) instead of seeded values. */
  | { type: 'start'; config: TrainConfig; weights?: File }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  /** Trains a run stopped before its end on to its planned total, from where it stopped. */
  | { type: 'continue' }
  /** withOptimizer: also the optimizer state (the PyTorch recipe download; Adam's doubles the weights' size). */
  | { type: 'export'; requestId: number; withOptimizer: boolean }
  | { type: 'embedImage'; requestId: number; file: File }
  /** Augmentation preview and live changes (protocol/augment.ts). */
  | AugmentCommand
  /** Saved runs, import and the export bundle (protocol/runs.ts). */
  | RunsCommand
  /** Fine-tuning with few labels, trying and exporting the classifier (protocol/fine-tune.ts). */
  | FineTuneCommand
  /** Evaluation views (protocol/evaluation.ts): may be sent before or during a run. */
  | { type: 'configureEvaluation'; config: EvalConfig }
  | { type: 'linearProbe'; requestId: number }
  /** The person's answer to "are the folder names labels?": label evaluation runs only after yes. */
  | { type: 'useFolderLabels'; use: boolean }
  /** Auto-configuration (protocol/auto-config-probe.ts): time a few candidate configs on this device. */
  | { type: 'probeConfig'; requestId: number; request: ProbeRequest }
  | { type: 'cancelProbeConfig' };

export type TrainPhase = 'idle' | 'preparing' | 'running' | 'paused' | 'stopping' | 'stopped' | 'done' | 'error';

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface ModelSummary {
  encoder: string;
  encoderParams: number;
  headParams: number;
  representationDim: number;
}

/** A step's plan as the UI shows it: "Step: batch 256 in 2 passes of 128". */
export interface StepPlanInfo extends StepPlan {
  /** Why the plan changed mid-run ('' at start), e.g. after an out-of-memory error. */
  note: string;
}

export interface MetricsPayload {
  /** Step number (1-based) of losses[0]. */
  firstStep: number;
  /** One loss and one learning rate per step since the last metrics event. */
  losses: Float32Array;
  learningRates: Float32Array;
  /**
   * Training throughput in images per second (each image gives two views), from the step clock: warm-up
   * steps, pauses and the embedding map left out. Null until a step has been timed.
   */
  imagesPerSecond: number | null;
  /** Time left: remaining steps and embedding passes (protocol/run-eta.ts). Null until a step has been timed. */
  etaSeconds: number | null;
  /** Mean cosine similarity of positive pairs and of negative pairs in the last step's batch (on z). */
  positiveSimilarity: number;
  negativeSimilarity: number;
  /** Cosine similarity matrix of the last batch's views, row-major, size x size (views 0..n-1 are first views). */
  similarity: Float32Array;
  similaritySize: number;
  /** Label-free health of the same batch (protocol/evaluation.ts). */
  health?: HealthPayload;
}

export type WorkerEvent =
  | {
      type: 'backendReady';
      backend: BackendName;
      reason: string;
      adapterInfo: string;
      /** Ids of our own kernels in use (empty with `?kernels=stock` or on a backend we have none for). */
      customKernels: string[];
      /** How it was chosen: measured now, remembered, picked, forced by the URL; hardware and timings. */
      decision: BackendDecision;
    }
  /** While the backend is being chosen (a comparison takes seconds to a minute): what is happening. */
  | { type: 'backendProgress'; message: string }
  | { type: 'ingestProgress'; requestId: number; processed: number; total: number; accepted: number; skipped: number }
  | {
      type: 'thumbnails';
      /** Dataset index of the first thumbnail. */
      startIndex: number;
      count: number;
      /** Thumbnails are size x size RGBA, concatenated. */
      size: number;
      pixels: Uint8ClampedArray;
      paths: string[];
    }
  | {
      type: 'ingestDone';
      requestId: number;
      imageCount: number;
      added: number;
      skipped: SkippedFile[];
      cancelled: boolean;
    }
  | { type: 'imagesCleared' }
  /** After every load (and a restored data set): the folders the images are in. */
  | ({ type: 'datasetFolders' } & DatasetFolders)
  | {
      type: 'trainState';
      phase: TrainPhase;
      step: number;
      totalSteps: number;
      message: string;
      /** A run stopped before its planned total that the 'continue' command can train on. */
      canContinue: boolean;
    }
  | { type: 'modelInfo'; summary: ModelSummary }
  /** How each step runs: the batch in passes (protocol/step-memory.ts), sent at start and when it changes. */
  | { type: 'runConfig'; step: StepPlanInfo }
  | ({ type: 'metrics' } & MetricsPayload)
  | {
      type: 'exported';
      requestId: number;
      modelJson: string;
      weights: ArrayBuffer;
      metadata: ExportMetadata;
      pytorch: PytorchFiles;
      /** The trained images' paths, in the order they were loaded (the recipe's files.txt). */
      imagePaths: string[];
    }
  /** h of one image, by the encoder at `step`. */
  | { type: 'embedded'; requestId: number; name: string; step: number; embedding: Float32Array }
  | AugmentEvent
  | ({ type: 'embeddings' } & EmbeddingsPayload)
  | ({ type: 'probeResult' } & ProbePayload)
  | RunsEvent
  | FineTuneEvent
  | ({ type: 'configProbeProgress'; requestId: number } & ProbeProgress)
  | { type: 'configProbeDone'; requestId: number; result: ProbeResult }
  | {
      type: 'error';
      requestId: number | null;
      /** What was being done, for people ('loading images'). */
      context: string;
      error: ErrorInfo;
      /** What the failure means for the UI's state: no backend runs, or a saved run did not load. */
      failed?: 'backend' | 'resume';
      /** What went wrong, where the worker knows (out of memory, device lost, diverged). */
      kind?: FailureKind;
    }
  /** The run met `fault` and carried on by itself (a smaller batch, a new GPU device): what was done. */
  | { type: 'recovered'; fault: FaultKind; message: string };

/** The encoder f and the projection head g as .safetensors, torchvision names (protocol/torchvision-names.ts). */
export interface PytorchFiles {
  encoder: ArrayBuffer;
  head: ArrayBuffer;
  /** Optimizer slots and step count (core/export/optimizer-safetensors.ts) when the export asked for them. */
  optimizer: ArrayBuffer | null;
}

export interface ExportMetadata extends ModelInputSpec {
  format: 'simclr-tab-encoder';
  appVersion: string;
  createdAt: string;
  representationDim: number;
  config: TrainConfig;
  stepsTrained: number;
  finalLoss: number | null;
  backend: BackendName;
  imageCount: number;
}

/** The `default` of an exhaustive switch over commands or events: a type without a case fails to compile. */
export function unhandled(message: never): never {
  throw new Error(`Unhandled message: ${JSON.stringify(message)}`);
}

export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}
