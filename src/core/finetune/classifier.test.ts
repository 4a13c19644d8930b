import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOptimizer } from '../optim/optimizers';
import { maxAbsDiff } from '../testing/max-abs-diff';
import { buildSimclrModel } from '../train/simclr-model';
import { tinyConfig } from '../train/test-fixtures';
import { buildClassifier } from './classifier';
import { accuracyOf, classifierInput, confusionMatrix, fineTuneStep } from './fine-tune-step';

const SIZE = 8;

/** `count` images: class 0 dark, class 1 bright, with seeded noise; labels alternate. */
function toyImages(count: number): { pixels: Int32Array; labels: Int32Array } {
  const pixels = new Int32Array(count * SIZE * SIZE * 3);
  const labels = Int32Array.from({ length: count }, (_, i) => i % 2);
  for (let i = 0; i < pixels.length; i++) {
    const label = labels[Math.floor(i / (SIZE * SIZE * 3))]!;
    pixels[i] = (label === 1 ? 170 : 40) + ((i * 37) % 50);
  }
  return { pixels, labels };
}

describe('fine-tuning classifier', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('starts from the trained encoder (and the head layer, v1 and v2) with uniform probabilities', () => {
    for (const projectionHead of ['v1', 'v2'] as const) {
      const config = tinyConfig({ projectionHead });
      const source = buildSimclrModel(config);
      const classifier = buildClassifier(config, { classes: 3, fromHeadLayer: true }, source);
      const x = classifierInput(toyImages(4).pixels, 4, SIZE, SIZE);
      const [expectedH, actualH, probabilities] = tf.tidy(() => [
        source.encoderModel.predict(x) as tf.Tensor,
        classifier.encoder.run(x, false),
        classifier.model.predict(x) as tf.Tensor,
      ]);
      expect(maxAbsDiff(expectedH!.dataSync(), actualH!.dataSync())).toBe(0);
      expect(probabilities!.shape).toEqual([4, 3]);
      for (const p of probabilities!.dataSync()) expect(p).toBeCloseTo(1 / 3, 6);
      // The head's first dense layer is kept: its kernel equals the source's.
      const headKernel = source.head.layers[0]!.getWeights()[0]!;
      const kept = classifier.params.find((p) => p.variable.shape.join() === headKernel.shape.join());
      expect(kept && maxAbsDiff(kept.variable.dataSync(), headKernel.dataSync())).toBe(0);
      tf.dispose([x, expectedH!, actualH!, probabilities!]);
      classifier.dispose();
      source.dispose();
    }
  });

  it('without a source it has the seeded initial weights of a fresh network, not the trained ones', () => {
    const config = tinyConfig();
    const trained = buildSimclrModel(config);
    const firstKernel = trained.encoder.layers.find((l) => l.getWeights().length > 0)!;
    firstKernel.setWeights([tf.onesLike(firstKernel.getWeights()[0]!)]);
    const scratch = buildClassifier(config, { classes: 2, fromHeadLayer: false }, null);
    const fresh = buildSimclrModel(config);
    const a = scratch.params[0]!.variable.dataSync();
    expect(maxAbsDiff(a, fresh.params[0]!.variable.dataSync())).toBe(0);
    expect(maxAbsDiff(a, trained.params[0]!.variable.dataSync())).toBeGreaterThan(0);
    for (const m of [trained, fresh]) m.dispose();
    scratch.dispose();
  });

  it('training steps fit a separable toy set, leave the source untouched and keep the tensor count flat', () => {
    const config = tinyConfig();
    const source = buildSimclrModel(config);
    const before = source.params.map((p) => p.variable.dataSync().slice());
    const classifier = buildClassifier(config, { classes: 2, fromHeadLayer: false }, source);
    const optimizer = createOptimizer('adam', classifier.params, { weightDecay: 1e-4 });
    const { pixels, labels } = toyImages(8);
    const x = classifierInput(pixels, 8, SIZE, SIZE);
    const y = tf.tensor1d(labels, 'int32');
    const losses: number[] = [];
    let tensors = 0;
    for (let step = 0; step < 30; step++) {
      const loss = fineTuneStep(classifier, optimizer, x, y, 2, 0.01, true);
      losses.push(loss.dataSync()[0]!);
      loss.dispose();
      if (step === 1) tensors = tf.memory().numTensors;
    }
    expect(tf.memory().numTensors).toBe(tensors);
    expect(losses[0]).toBeCloseTo(Math.log(2), 5);
    expect(losses.at(-1)!).toBeLessThan(0.2);
    const predicted = tf.tidy(() => tf.argMax(classifier.model.predict(x) as tf.Tensor2D, 1).dataSync());
    expect(accuracyOf(confusionMatrix(labels, predicted, 2), 2)).toBe(1);
    for (const [i, p] of source.params.entries()) expect(maxAbsDiff(p.variable.dataSync(), before[i]!)).toBe(0);
    tf.dispose([x, y]);
    optimizer.dispose();
    classifier.dispose();
    source.dispose();
  });

  it('keeps BatchNorm moving statistics frozen unless asked to use batch statistics', () => {
    const config = tinyConfig();
    const source = buildSimclrModel(config);
    const movingOf = (c: ReturnType<typeof buildClassifier>) =>
      c.encoder.layers.flatMap((l) =>
        l.weights.filter((w) => w.name.includes('moving')).map((w) => w.read().dataSync()[0]!),
      );
    const { pixels, labels } = toyImages(4);
    const x = classifierInput(pixels, 4, SIZE, SIZE);
    const y = tf.tensor1d(labels, 'int32');
    for (const batchStatistics of [false, true]) {
      const classifier = buildClassifier(config, { classes: 2, fromHeadLayer: false }, source);
      const optimizer = createOptimizer('adam', classifier.params, { weightDecay: 0 });
      const before = movingOf(classifier);
      fineTuneStep(classifier, optimizer, x, y, 2, 0.01, batchStatistics).dispose();
      const changed = maxAbsDiff(movingOf(classifier), before) > 0;
      expect(changed).toBe(batchStatistics);
      optimizer.dispose();
      classifier.dispose();
    }
    tf.dispose([x, y]);
    source.dispose();
  });

  it('mirrors exactly the flagged images left-right', () => {
    const pixels = Int32Array.from({ length: 2 * 2 * 2 * 3 }, (_, i) => i * 10);
    const plain = classifierInput(pixels, 2, 2, 2);
    const flipped = classifierInput(pixels, 2, 2, 2, Uint8Array.from([0, 1]));
    const expected = tf.concat([tf.slice(plain, [0], [1]), tf.reverse(tf.slice(plain, [1], [1]), 2)]);
    expect(maxAbsDiff(flipped.dataSync(), expected.dataSync())).toBeLessThan(1e-6);
    expect(maxAbsDiff(flipped.dataSync(), plain.dataSync())).toBeGreaterThan(0.1);
    tf.dispose([plain, flipped, expected]);
  });

  it('counts the confusion matrix by true row and predicted column', () => {
    const matrix = confusionMatrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], 3);
    expect(matrix).toEqual([1, 1, 0, 0, 1, 0, 1, 0, 2]);
    expect(accuracyOf(matrix, 3)).toBeCloseTo(4 / 6, 12);
    expect(accuracyOf([], 0)).toBeNaN();
  });
});
