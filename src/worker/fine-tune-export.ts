import { serializeLayersModel } from '../core/export/serialize-encoder';
import { classifierSafetensors } from '../core/export/torchvision-weights';
import type { Classifier } from '../core/finetune/classifier';
import { modelInputSpec, type TrainConfig } from '../protocol/config';
import type { ClassifierMetadata, FineTuneConfig, FineTuneEvent, FineTuneStatus } from '../protocol/fine-tune';

/** The parts of a fine-tuning job an export describes. */
export interface ExportableJob {
  classifier: Classifier;
  config: FineTuneConfig;
  trainConfig: TrainConfig;
  encoderSteps: number;
}

/**
 * The 'classifierExported' event: the classifier as a tfjs LayersModel (softmax output), as safetensors with
 * torchvision names, and its metadata.
 */
export async function classifierExportedEvent(
  requestId: number,
  job: ExportableJob,
  status: FineTuneStatus,
  appVersion: string,
): Promise<{ event: Extract<FineTuneEvent, { type: 'classifierExported' }>; transfer: ArrayBuffer[] }> {
  const { modelJson, weights } = await serializeLayersModel(job.classifier.model);
  const { trainConfig, config, classifier } = job;
  const classes = status.labelNames.length;
  // BatchNorm statistics come from SimCLR's steps (frozen while fine-tuning), or from fine-tuning's for the baseline.
  const batchesTracked = config.init === 'encoder' ? job.encoderSteps : status.step;
  const bytes = await classifierSafetensors(classifier, trainConfig, classes, config.fromHeadLayer, batchesTracked);
  const safetensors = bytes.buffer as ArrayBuffer; // writeSafetensors returns a view of its whole buffer
  const size = trainConfig.imageSize;
  const metadata: ClassifierMetadata = {
    format: 'simclr-tab-classifier',
    appVersion,
    createdAt: new Date().toISOString(),
    ...modelInputSpec(size),
    output: 'probabilities',
    labels: [...status.labelNames],
    fineTune: job.config,
    stepsTrained: status.step,
    heldOutAccuracy: status.accuracy,
    trainCount: status.trainCount,
    testCount: status.testCount,
    encoderSteps: job.encoderSteps,
    architecture: {
      encoder: trainConfig.encoder,
      imageSize: size,
      widthMultiplier: trainConfig.widthMultiplier,
      stem: trainConfig.stem,
      projectionHead: trainConfig.projectionHead,
      projectionHidden: trainConfig.projectionHidden,
      projectionDim: trainConfig.projectionDim,
      representationDim: classifier.encoder.representationDim,
    },
  };
  return {
    event: { type: 'classifierExported', requestId, modelJson, weights, safetensors, metadata },
    transfer: [weights, safetensors],
  };
}
