/** The sizes auto-configuration chooses among (protocol/auto-config.ts), and how the data set caps them. */
import type { Candidate } from './auto-config';
import { capBatchToData } from './config';

/**
 * Candidates from small to large, before capping to the data set. The smallest trains on a CPU in
 * seconds; ResNet-18 at 32 px, batch 128 is the default the quality bench measured; the largest are
 * for fast GPUs with images stored large enough. Batches up to the paper's 4,096 (SimCLR fig. 9):
 * memory does not limit them (the step is split into chunks), the time budget and batchCap do.
 */
export const LADDER: readonly Candidate[] = [
  { encoder: 'resnet-small', widthMultiplier: 0.125, imageSize: 16, batchSize: 16 },
  { encoder: 'resnet-small', widthMultiplier: 0.25, imageSize: 24, batchSize: 32 },
  { encoder: 'resnet-small', widthMultiplier: 0.5, imageSize: 32, batchSize: 64 },
  { encoder: 'resnet-small', widthMultiplier: 1, imageSize: 32, batchSize: 128 },
  { encoder: 'resnet18', widthMultiplier: 0.5, imageSize: 32, batchSize: 128 },
  { encoder: 'resnet18', widthMultiplier: 1, imageSize: 32, batchSize: 128 },
  { encoder: 'resnet18', widthMultiplier: 1, imageSize: 32, batchSize: 256 },
  { encoder: 'resnet18', widthMultiplier: 1, imageSize: 32, batchSize: 512 },
  { encoder: 'resnet18', widthMultiplier: 1, imageSize: 32, batchSize: 1024 },
  { encoder: 'resnet18', widthMultiplier: 1, imageSize: 32, batchSize: 2048 },
  { encoder: 'resnet18', widthMultiplier: 1, imageSize: 32, batchSize: 4096 },
  { encoder: 'resnet18', widthMultiplier: 1, imageSize: 48, batchSize: 256 },
  { encoder: 'resnet18', widthMultiplier: 1, imageSize: 64, batchSize: 256 },
  { encoder: 'resnet18', widthMultiplier: 1, imageSize: 96, batchSize: 256 },
];

export interface DatasetShape {
  imageCount: number;
  /** Side the images are stored at: views larger than this would only be upscaled. */
  storeSize: number;
}

/** Largest batch auto picks: a power of two with at least 4 steps per epoch (2 for tiny sets). */
export function batchCap(imageCount: number): number {
  const quarter = imageCount / 4;
  const pow2 = quarter < 1 ? 1 : 2 ** Math.floor(Math.log2(quarter));
  return Math.min(Math.max(2, pow2), Math.max(2, imageCount));
}

/** `candidate` with the person's fixed fields (a batch larger than the data set lowered to it), the rest capped. */
export function fitToData(candidate: Candidate, data: DatasetShape, fixed: Partial<Candidate> = {}): Candidate {
  return {
    encoder: fixed.encoder ?? candidate.encoder,
    widthMultiplier: fixed.widthMultiplier ?? candidate.widthMultiplier,
    imageSize: fixed.imageSize ?? Math.min(candidate.imageSize, Math.max(8, data.storeSize)),
    batchSize:
      fixed.batchSize !== undefined
        ? capBatchToData(fixed.batchSize, data.imageCount)
        : Math.min(candidate.batchSize, batchCap(data.imageCount)),
  };
}
