import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { FusedAugmenter } from '../../src/core/augment/batch-augmenter';
import { drawViewParams } from '../../src/core/augment/params';
import { randomImage } from '../../src/core/augment/test-fixtures';
import { EpochSampler } from '../../src/core/data/epoch-sampler';
import { ImageStore } from '../../src/core/data/image-store';
import { createOptimizer } from '../../src/core/optim/optimizers';
import { Rng } from '../../src/core/random/rng';
import { buildSimclrModel } from '../../src/core/train/simclr-model';
import { trainStep } from '../../src/core/train/train-step';
import { DEFAULT_TRAIN_CONFIG, SIMCLR_IMAGENET_AUGMENT, type TrainConfig } from '../../src/protocol/config';

const config: TrainConfig = {
  ...DEFAULT_TRAIN_CONFIG,
  encoder: 'resnet-small',
  widthMultiplier: 1 / 16,
  imageSize: 16,
  batchSize: 4,
  projectionHidden: 16,
  projectionDim: 8,
  augment: SIMCLR_IMAGENET_AUGMENT,
};

describe('training steps on the fused WebGPU augmentation (Dawn)', () => {
  it('give finite losses and keep the tensor count flat (data set resident, nothing leaked per step)', async () => {
    const rng = new Rng(4);
    const store = new ImageStore(20);
    for (let i = 0; i < 12; i++) store.add(randomImage(rng, 20), `img${i}`);
    const augmenter = new FusedAugmenter(store, { chunkBytes: 1 << 20, residentChunks: 4 });
    const model = buildSimclrModel(config);
    const optimizer = createOptimizer(config.optimizer, model.params, { weightDecay: config.weightDecay });
    const sampler = new EpochSampler(store.length, config.batchSize, 1);
    const counts: number[] = [];
    const losses: number[] = [];
    for (let step = 0; step < 4; step++) {
      const indices = sampler.nextBatch();
      const params = drawViewParams(rng, 2 * config.batchSize, store.size, config.augment);
      const { loss } = trainStep(
        model,
        optimizer,
        { augment: () => augmenter.views(indices, params, config.imageSize), temperature: 0.5, learningRate: 1e-3 },
        false,
      );
      losses.push((await loss.data())[0]!);
      loss.dispose();
      counts.push(tf.memory().numTensors);
    }
    expect(losses.every(Number.isFinite)).toBe(true);
    // from the second step on (optimizer slots exist), the count does not grow
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(augmenter.images.uploads).toBe(1);
    augmenter.dispose();
    optimizer.dispose();
    model.dispose();
  });
});
