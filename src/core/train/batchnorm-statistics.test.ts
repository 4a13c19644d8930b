import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../../protocol/config';
import { normalizeImages } from '../augment/augment-views';
import { drawViewParams } from '../augment/params';
import { warmupCosineLearningRate } from '../optim/schedule';
import { Rng } from '../random/rng';
import type { SimclrModel } from './simclr-model';
import { randomPixels, tinyConfig, tinyModel } from './test-fixtures';
import { trainStep } from './train-step';

// No augmentation: the views are the images, so the moving statistics and the batch statistics describe
// the same inputs and inference mode must converge to training mode.
const config = tinyConfig({
  batchSize: 8,
  augment: {
    ...DEFAULT_TRAIN_CONFIG.augment,
    cropAreaMin: 1,
    cropAreaMax: 1,
    aspectMin: 1,
    aspectMax: 1,
    flipP: 0,
    jitterP: 0,
    grayscaleP: 0,
    blurP: 0,
  },
});

/** Mean relative l2 distance between h in training mode (batch statistics) and inference mode (moving statistics). */
function modeGap(model: SimclrModel, pixels: tf.Tensor4D): number {
  return tf.tidy(() => {
    const x = normalizeImages(pixels);
    const train = model.encoder.run(x as tf.Tensor, true) as tf.Tensor2D;
    const infer = model.encoderModel.predict(x) as tf.Tensor2D;
    const gap = tf.div(tf.norm(tf.sub(train, infer), 'euclidean', 1), tf.norm(train, 'euclidean', 1));
    return tf.mean(gap).dataSync()[0]!;
  });
}

describe('BatchNorm moving statistics', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('after training, inference-mode embeddings of training images match training-mode ones', () => {
    const { model, optimizer } = tinyModel(config, 'adam', 0);
    // The views below go on drawing from the same generator.
    const rng = new Rng(11);
    const images = randomPixels(8, 8, rng);
    const pixels = tf.div(tf.cast(images, 'float32'), 255) as tf.Tensor4D;
    const untrainedGap = modeGap(model, pixels);
    const steps = 60;
    for (let step = 0; step < steps; step++) {
      const views = drawViewParams(rng, 16, 8, config.augment);
      const learningRate = warmupCosineLearningRate(step, steps, 0.01, 5);
      const { loss } = trainStep(
        model,
        optimizer,
        { images, views, viewSize: 8, temperature: 0.5, learningRate },
        false,
      );
      loss.dispose();
    }
    const trainedGap = modeGap(model, pixels);
    // Fresh moving statistics (mean 0, variance 1) are far from the batch's: the check can fail.
    expect(untrainedGap).toBeGreaterThan(0.2);
    expect(trainedGap).toBeLessThan(0.02);
    tf.dispose([images, pixels]);
    optimizer.dispose();
    model.dispose();
  });
});
