import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG, SIMCLR_IMAGENET_AUGMENT, type TrainConfig } from '../../protocol/config';
import { drawViewParams } from '../augment/params';
import { createOptimizer } from '../optim/optimizers';
import { Rng } from '../random/rng';
import { batchSimilarity } from './batch-similarity';
import { buildSimclrModel } from './simclr-model';
import { pairedSourceIndex, trainStep } from './train-step';

const tinyConfig: TrainConfig = {
  ...DEFAULT_TRAIN_CONFIG,
  encoder: 'resnet-small',
  widthMultiplier: 1 / 16,
  imageSize: 16,
  batchSize: 4,
  projectionHidden: 16,
  projectionDim: 8,
  augment: SIMCLR_IMAGENET_AUGMENT,
};

function fakeImages(batch: number, size: number, seed: number): tf.Tensor4D {
  const rng = new Rng(seed);
  const values = Int32Array.from({ length: batch * size * size * 3 }, () => rng.int(256));
  return tf.tensor4d(values, [batch, size, size, 3], 'int32');
}

describe('trainStep', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('pairs view i with view i + B (both cut from image i)', () => {
    expect(Array.from(pairedSourceIndex(3))).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it('lowers the loss on a fixed batch, keeps tensors flat and updates BatchNorm statistics', () => {
    const model = buildSimclrModel(tinyConfig);
    const optimizer = createOptimizer('adam', model.params, { weightDecay: 1e-6 });
    const images = fakeImages(tinyConfig.batchSize, 20, 1);
    const views = drawViewParams(new Rng(7), 2 * tinyConfig.batchSize, 20, tinyConfig.augment);
    const movingMean = model.encoderModel.layers.find((l) => l.getClassName() === 'BatchNormalization')!;
    const meanBefore = (movingMean.getWeights()[2]!.arraySync() as number[]).slice();
    const losses: number[] = [];
    let tensorsAfterFirst = 0;
    for (let step = 0; step < 8; step++) {
      const { loss, projections } = trainStep(
        model,
        optimizer,
        { images, views, viewSize: 16, temperature: 0.5, learningRate: 0.01 },
        false,
      );
      expect(projections).toBeNull();
      losses.push(loss.dataSync()[0]!);
      loss.dispose();
      if (step === 0) tensorsAfterFirst = tf.memory().numTensors;
      else expect(tf.memory().numTensors).toBe(tensorsAfterFirst);
    }
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]!);
    const meanAfter = movingMean.getWeights()[2]!.arraySync() as number[];
    expect(meanAfter).not.toEqual(meanBefore);
    images.dispose();
    optimizer.dispose();
    model.dispose();
  });

  it('same seed gives the same initial network', () => {
    const a = buildSimclrModel(tinyConfig);
    const b = buildSimclrModel(tinyConfig);
    const wa = a.params.map((p) => Array.from(p.variable.dataSync()));
    const wb = b.params.map((p) => Array.from(p.variable.dataSync()));
    expect(wa).toEqual(wb);
    a.dispose();
    b.dispose();
  });

  it('keeps projections on request; similarity stats are in [-1, 1] and the matrix is capped', () => {
    const model = buildSimclrModel(tinyConfig);
    const optimizer = createOptimizer('sgd', model.params, { weightDecay: 0 });
    const images = fakeImages(4, 16, 2);
    const views = drawViewParams(new Rng(3), 8, 16, tinyConfig.augment);
    const { loss, projections } = trainStep(
      model,
      optimizer,
      { images, views, viewSize: 16, temperature: 0.5, learningRate: 0.01 },
      true,
    );
    expect(projections?.shape).toEqual([8, 8]);
    const stats = batchSimilarity(projections!, 2);
    const positive = stats.positive.dataSync()[0]!;
    const negative = stats.negative.dataSync()[0]!;
    expect(positive).toBeGreaterThanOrEqual(-1);
    expect(positive).toBeLessThanOrEqual(1);
    expect(negative).toBeGreaterThanOrEqual(-1);
    expect(stats.matrix.shape).toEqual([4, 4]);
    const m = stats.matrix.arraySync();
    expect(m[0]![0]).toBeCloseTo(1, 5);
    tf.dispose([loss, projections!, stats.positive, stats.negative, stats.matrix, images]);
    optimizer.dispose();
    model.dispose();
  });
});
