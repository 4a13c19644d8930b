import { serializeLayersModel } from '../core/export/serialize-encoder';
import type { Classifier } from '../core/finetune/classifier';
import { NORMALIZE_MEAN, NORMALIZE_STD, type TrainConfig } from '../protocol/config';
import type { ClassifierMetadata, FineTuneConfig, FineTuneEvent, FineTuneStatus } from '../protocol/fine-tune';

/** The parts of a fine-tuning job an export describes. */
export interface ExportableJob {
  classifier: Classifier;
  config: FineTuneConfig;
  trainConfig: TrainConfig;
  encoderSteps: number;
}

/** The 'classifierExported' event: the classifier as a tfjs LayersModel (softmax output) and its metadata. */
export async function classifierExportedEvent(
  requestId: number,
  job: ExportableJob,
  status: FineTuneStatus,
  appVersion: string,
): Promise<{ event: Extract<FineTuneEvent, { type: 'classifierExported' }>; transfer: ArrayBuffer[] }> {
  const { modelJson, weights } = await serializeLayersModel(job.classifier.model);
  const size = job.trainConfig.imageSize;
  const metadata: ClassifierMetadata = {
    format: 'simclr-tab-classifier',
    appVersion,
    createdAt: new Date().toISOString(),
    inputSize: [size, size, 3],
    channelOrder: 'RGB',
    inputLayout: 'NHWC',
    preprocessing:
      'Centre-crop to a square, resize to inputSize with bilinear filtering, RGB bytes x scale, then (x - mean) / std per channel.',
    normalization: { scale: 1 / 255, mean: [...NORMALIZE_MEAN], std: [...NORMALIZE_STD] },
    output: 'probabilities',
    labels: [...status.labelNames],
    fineTune: job.config,
    stepsTrained: status.step,
    heldOutAccuracy: status.accuracy,
    trainCount: status.trainCount,
    testCount: status.testCount,
    encoderSteps: job.encoderSteps,
  };
  return { event: { type: 'classifierExported', requestId, modelJson, weights, metadata }, transfer: [weights] };
}
