import * as tf from '@tensorflow/tfjs';
import { DEFAULT_TRAIN_CONFIG, type OptimizerName, type TrainConfig } from '../../protocol/config';
import { ImageStore } from '../data/image-store';
import { createOptimizer, type Optimizer } from '../optim/optimizers';
import { Rng } from '../random/rng';
import { buildSimclrModel, type SimclrModel } from './simclr-model';

/**
 * Shared builders of the unit tests that train a tiny SimCLR network in Node: the small ResNet's config,
 * seeded random pixels (a batch tensor or an image store) and the model with its optimizer.
 */

/** The small ResNet at 1/16 width, 8 px, batch 4, head 16 -> 8; `overrides` set the rest. */
export function tinyConfig(overrides: Partial<TrainConfig> = {}): TrainConfig {
  return {
    ...DEFAULT_TRAIN_CONFIG,
    encoder: 'resnet-small',
    widthMultiplier: 1 / 16,
    imageSize: 8,
    batchSize: 4,
    projectionHidden: 16,
    projectionDim: 8,
    ...overrides,
  };
}

/** [batch, size, size, 3] int32 pixel values 0..255 drawn from `rng`. */
export function randomPixels(batch: number, size: number, rng: Rng): tf.Tensor4D {
  const values = Int32Array.from({ length: batch * size * size * 3 }, () => rng.int(256));
  return tf.tensor4d(values, [batch, size, size, 3], 'int32');
}

/** `count` images of size x size random pixels drawn from `rng`, named img/<i>.png. */
export function randomImageStore(count: number, size = 8, rng = new Rng(3)): ImageStore {
  const store = new ImageStore(size);
  for (let i = 0; i < count; i++)
    store.add(
      Uint8Array.from({ length: size * size * 3 }, () => rng.int(256)),
      `img/${i}.png`,
    );
  return store;
}

/** The network for `config` and an optimizer over its parameters (the config's unless given). */
export function tinyModel(
  config: TrainConfig,
  optimizer: OptimizerName = config.optimizer,
  weightDecay: number = config.weightDecay,
): { model: SimclrModel; optimizer: Optimizer } {
  const model = buildSimclrModel(config);
  return { model, optimizer: createOptimizer(optimizer, model.params, { weightDecay }) };
}
