/**
 * Fine-tuning with few labels (SimCLR v2, Chen et al. 2020, section 3): a copy of the trained encoder plus a
 * linear classifier, trained on a seeded, stratified fraction of the labelled images, judged on held-out ones.
 * Labels are the folder names, and only once the person has said they are labels.
 */

import type { EncoderSpec, HeadSpec } from './architecture';
import type { ModelInputSpec } from './config';

/** Shares of the labelled (non-held-out) images to train on, as SimCLR v2 reports them: 1%, 10%, all. */
export const LABEL_FRACTIONS = [0.01, 0.1, 1] as const;

export interface FineTuneConfig {
  /** Share of each class's non-held-out images used for training (at least one per class). */
  labelFraction: number;
  steps: number;
  batchSize: number;
  /** Peak learning rate (AdamW), linear warm-up then cosine decay, like the main run's schedule. */
  learningRate: number;
  warmupFraction: number;
  weightDecay: number;
  /** SimCLR v2: keep the projection head's first layer (and its BatchNorm/ReLU) under the classifier. */
  fromHeadLayer: boolean;
  /**
   * 'probe': the linear layer starts from a linear probe fitted on the starting network's frozen features
   * (linear probing then fine-tuning, Kumar et al. 2022), so fine-tuning starts where the probe ends; 'zero':
   * from zero, as SimCLR v2.
   */
  headInit: 'probe' | 'zero';
  /** 'random': the same network from seeded random weights, the baseline that shows what pre-training gave. */
  init: 'encoder' | 'random';
  /** Seeds the split, the batches, the flips and the classifier's initial weights. */
  seed: number;
}

/**
 * SimCLR v2 fine-tunes with a small learning rate and no warm-up on ImageNet; on the small sets this app sees,
 * AdamW at 1e-3 with a short warm-up fits in a hundred steps (docs/fine-tune.md has the figures).
 */
export const DEFAULT_FINE_TUNE_CONFIG: FineTuneConfig = {
  labelFraction: 0.1,
  steps: 100,
  batchSize: 32,
  learningRate: 1e-3,
  warmupFraction: 0.1,
  weightDecay: 1e-4,
  fromHeadLayer: false,
  headInit: 'probe',
  init: 'encoder',
  seed: 1,
};

/** Share of each class held out for the accuracy and the confusion matrix (never trained on). */
export const FINE_TUNE_TEST_FRACTION = 0.2;

/** Problems with a fine-tune config, as sentences a person can act on. */
export function validateFineTuneConfig(config: FineTuneConfig): string[] {
  const problems: string[] = [];
  if (!(config.labelFraction > 0 && config.labelFraction <= 1))
    problems.push('Labelled share must be more than 0% and at most 100%.');
  if (!Number.isInteger(config.steps) || config.steps < 1 || config.steps > 100_000)
    problems.push('Fine-tune steps must be a whole number from 1 to 100000.');
  if (!Number.isInteger(config.batchSize) || config.batchSize < 1 || config.batchSize > 1024)
    problems.push('Fine-tune batch size must be a whole number from 1 to 1024.');
  if (!(config.learningRate > 0 && config.learningRate <= 1))
    problems.push('Fine-tune learning rate must be more than 0 and at most 1.');
  if (!(config.warmupFraction >= 0 && config.warmupFraction < 1))
    problems.push('Fine-tune warm-up must be from 0 to less than 1 of the steps.');
  if (!(config.weightDecay >= 0 && config.weightDecay <= 1))
    problems.push('Fine-tune weight decay must be from 0 to 1.');
  if (!Number.isInteger(config.seed)) problems.push('Fine-tune seed must be a whole number.');
  return problems;
}

export type FineTunePhase = 'idle' | 'preparing' | 'running' | 'paused' | 'stopped' | 'done' | 'error';

/** Where fine-tuning stands, sent when its phase changes and after every evaluation. */
export interface FineTuneStatus {
  phase: FineTunePhase;
  step: number;
  totalSteps: number;
  /** Cross-entropy of the last step (NaN before the first). */
  loss: number;
  learningRate: number;
  /** Held-out accuracy of the fine-tuned classifier at `evaluatedStep` (NaN before the first evaluation). */
  accuracy: number;
  evaluatedStep: number;
  /** Row = true class, column = predicted class, classes x classes, row-major. */
  confusion: number[];
  /** Linear probe on the frozen source encoder, same labelled and held-out images (NaN until known). */
  probeAccuracy: number;
  /** Share of the largest class among the held-out images: always guessing it. */
  majority: number;
  labelNames: string[];
  trainCount: number;
  testCount: number;
  /** What happened, for people (a failure's advice, why it stopped); '' when nothing to say. */
  message: string;
  /** A classifier exists (to try and to download), also after a stop or a failure. */
  hasClassifier: boolean;
}

/** Nothing fine-tuned yet. */
export const idleFineTuneStatus = (): FineTuneStatus => ({
  phase: 'idle',
  step: 0,
  totalSteps: 0,
  loss: Number.NaN,
  learningRate: 0,
  accuracy: Number.NaN,
  evaluatedStep: 0,
  confusion: [],
  probeAccuracy: Number.NaN,
  majority: Number.NaN,
  labelNames: [],
  trainCount: 0,
  testCount: 0,
  message: '',
  hasClassifier: false,
});

export type FineTuneCommand =
  | { type: 'fineTuneStart'; requestId: number; config: FineTuneConfig }
  | { type: 'fineTunePause' }
  | { type: 'fineTuneResume' }
  | { type: 'fineTuneStop' }
  /** Classifies one image with the current classifier: the top classes with their probabilities. */
  | { type: 'classifyImage'; requestId: number; file: File }
  | { type: 'exportClassifier'; requestId: number };

/** What a downloaded classifier says about itself (metadata.json). */
export interface ClassifierMetadata extends ModelInputSpec {
  format: 'simclr-tab-classifier';
  appVersion: string;
  createdAt: string;
  /** Output i is the probability of labels[i] (softmax). */
  output: 'probabilities';
  labels: string[];
  fineTune: FineTuneConfig;
  stepsTrained: number;
  heldOutAccuracy: number;
  trainCount: number;
  testCount: number;
  /** Steps of self-supervised training of the encoder it started from (0 for random weights). */
  encoderSteps: number;
  /** The network's shape (the run's encoder and head settings), which the PyTorch model is built from. */
  architecture: EncoderSpec & HeadSpec & { representationDim: number };
}

export type FineTuneEvent =
  | ({ type: 'fineTuneStatus' } & FineTuneStatus)
  | { type: 'classified'; requestId: number; name: string; labelNames: string[]; probabilities: Float32Array }
  | {
      type: 'classifierExported';
      requestId: number;
      modelJson: string;
      weights: ArrayBuffer;
      /** The same network as classifier.safetensors, torchvision names (logits; softmax gives `probabilities`). */
      safetensors: ArrayBuffer;
      metadata: ClassifierMetadata;
    };
