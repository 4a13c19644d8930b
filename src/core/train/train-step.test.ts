import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SIMCLR_IMAGENET_AUGMENT } from '../../protocol/config';
import { drawViewParams } from '../augment/params';
import { Rng } from '../random/rng';
import { batchSimilarity } from './batch-similarity';
import { buildSimclrModel } from './simclr-model';
import { randomPixels, tinyConfig, tinyModel } from './test-fixtures';
import { pairedSourceIndex, trainStep } from './train-step';

const config = tinyConfig({ imageSize: 16, augment: SIMCLR_IMAGENET_AUGMENT });

describe('trainStep', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('pairs view i with view i + B (both cut from image i)', () => {
    expect(Array.from(pairedSourceIndex(3))).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it('lowers the loss on a fixed batch, keeps tensors flat and updates BatchNorm statistics', () => {
    const { model, optimizer } = tinyModel(config, 'adam', 1e-6);
    const images = randomPixels(config.batchSize, 20, new Rng(1));
    const views = drawViewParams(new Rng(7), 2 * config.batchSize, 20, config.augment);
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
    const a = buildSimclrModel(config);
    const b = buildSimclrModel(config);
    const wa = a.params.map((p) => Array.from(p.variable.dataSync()));
    const wb = b.params.map((p) => Array.from(p.variable.dataSync()));
    expect(wa).toEqual(wb);
    a.dispose();
    b.dispose();
  });

  it('keeps projections on request; similarity stats are in [-1, 1] and the matrix is capped', () => {
    const { model, optimizer } = tinyModel(config, 'sgd', 0);
    const images = randomPixels(4, 16, new Rng(2));
    const views = drawViewParams(new Rng(3), 8, 16, config.augment);
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
