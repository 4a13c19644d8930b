import { stepsPerEpoch } from '../../protocol/config';
import { Rng, type RngState } from '../random/rng';

export interface SamplerState {
  epoch: number;
  /** Position of the next batch within the epoch's permutation. */
  cursor: number;
  rng: RngState;
}

/**
 * Draws batches of image indices: a fresh seeded permutation each epoch, the last incomplete batch
 * dropped (as SimCLR's data loaders do, so every step sees exactly batchSize images).
 */
export class EpochSampler {
  private readonly rng: Rng;
  private order: Int32Array;
  private epochIndex: number;
  private cursor: number;
  /** Generator state from which the current epoch's permutation was drawn: saving it makes the epoch replayable. */
  private epochStartState: RngState;

  constructor(
    private readonly imageCount: number,
    private readonly batchSize: number,
    seedOrState: number | SamplerState,
  ) {
    if (batchSize > imageCount) throw new Error(`batch size ${batchSize} exceeds the ${imageCount} images`);
    const start: SamplerState =
      typeof seedOrState === 'number' ? { epoch: 0, cursor: 0, rng: new Rng(seedOrState).state() } : seedOrState;
    this.rng = new Rng(start.rng);
    this.epochStartState = start.rng;
    this.epochIndex = start.epoch;
    this.cursor = start.cursor;
    this.order = this.rng.permutation(imageCount);
  }

  get epoch(): number {
    return this.epochIndex;
  }

  get stepsPerEpoch(): number {
    return stepsPerEpoch(this.imageCount, this.batchSize);
  }

  nextBatch(): Int32Array {
    if (this.cursor + this.batchSize > this.imageCount) {
      this.epochIndex += 1;
      this.cursor = 0;
      this.epochStartState = this.rng.state();
      this.order = this.rng.permutation(this.imageCount);
    }
    const batch = this.order.slice(this.cursor, this.cursor + this.batchSize);
    this.cursor += this.batchSize;
    return batch;
  }

  state(): SamplerState {
    return { epoch: this.epochIndex, cursor: this.cursor, rng: this.epochStartState };
  }
}
