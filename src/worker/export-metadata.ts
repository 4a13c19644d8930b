import { type BackendName, NORMALIZE_MEAN, NORMALIZE_STD } from '../protocol/config';
import type { ExportMetadata } from '../protocol/messages';
import type { TrainingRun } from './training-run';

/** What a downloaded encoder says about itself: input, preprocessing, config and training so far. */
export function exportMetadata(run: TrainingRun, backend: BackendName, imageCount: number): ExportMetadata {
  const size = run.config.imageSize;
  return {
    format: 'simclr-tab-encoder',
    appVersion: __APP_VERSION__,
    createdAt: new Date().toISOString(),
    inputSize: [size, size, 3],
    channelOrder: 'RGB',
    inputLayout: 'NHWC',
    preprocessing:
      'Centre-crop to a square, resize to inputSize with bilinear filtering, RGB bytes x scale, then (x - mean) / std per channel.',
    normalization: { scale: 1 / 255, mean: [...NORMALIZE_MEAN], std: [...NORMALIZE_STD] },
    representationDim: run.model.encoder.representationDim,
    config: run.config,
    stepsTrained: run.step,
    finalLoss: run.lastLoss,
    backend,
    imageCount,
  };
}
