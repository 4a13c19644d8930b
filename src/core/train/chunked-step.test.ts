import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ntXentLoss } from '../loss/nt-xent';
import { Rng } from '../random/rng';
import { takeLeadingImages } from './batch-similarity';
import { cachedGradients, chunkedTrainStep, passRanges } from './chunked-step';
import { buildSimclrModel, type SimclrModel } from './simclr-model';
import { tinyConfig, tinyModel } from './test-fixtures';

const config = tinyConfig({ batchSize: 8 });

/** [2B, s, s, 3] random normalized views. */
function randomViews(batch: number, seed: number): tf.Tensor4D {
  const rng = new Rng(seed);
  const values = Float32Array.from({ length: 2 * batch * 8 * 8 * 3 }, () => rng.next() * 2 - 1);
  return tf.tensor4d(values, [2 * batch, 8, 8, 3]);
}

/**
 * The whole-batch gradient with one tape over every pass's forward (BatchNorm statistics per pass, as in
 * the chunked step): the loss over all 2B projections, differentiated in one go.
 */
function wholeBatchGradients(
  model: SimclrModel,
  views: tf.Tensor4D,
  passes: number,
): { loss: number; grads: Float64Array[] } {
  const variables = model.params.map((p) => p.variable);
  const tensors = tf.tidy(() => {
    const batch = views.shape[0] / 2;
    const { value, grads } = tf.variableGrads(() => {
      const firsts: tf.Tensor[] = [];
      const seconds: tf.Tensor[] = [];
      for (const [start, size] of passRanges(batch, passes)) {
        const x = tf.concat([
          tf.slice(views, [start, 0, 0, 0], [size, -1, -1, -1]),
          tf.slice(views, [batch + start, 0, 0, 0], [size, -1, -1, -1]),
        ]);
        const z = model.head.run(model.encoder.run(x as tf.Tensor, true), true) as tf.Tensor2D;
        const [a, b] = tf.split(z, 2, 0);
        firsts.push(a!);
        seconds.push(b!);
      }
      return ntXentLoss(tf.concat(firsts) as tf.Tensor2D, tf.concat(seconds) as tf.Tensor2D, 0.5);
    }, variables);
    return [value, ...variables.map((v) => grads[v.name]!)];
  });
  return read(tensors);
}

/** [loss, ...grads] tensors read back and disposed. */
function read(tensors: tf.Tensor[]): { loss: number; grads: Float64Array[] } {
  const [loss, ...grads] = tensors.map((t) => Float64Array.from(t.dataSync()));
  tf.dispose(tensors);
  return { loss: loss![0]!, grads };
}

function relativeError(a: Float64Array[], b: Float64Array[]): number {
  let diff = 0;
  let norm = 0;
  a.forEach((x, i) => {
    const y = b[i]!;
    for (let k = 0; k < x.length; k++) {
      diff += (x[k]! - y[k]!) ** 2;
      norm += y[k]! ** 2;
    }
  });
  return Math.sqrt(diff / norm);
}

function movingStatistics(model: SimclrModel): Float32Array[] {
  return model.encoderModel.layers
    .filter((l) => l.getClassName() === 'BatchNormalization')
    .flatMap((l) =>
      l
        .getWeights()
        .slice(2)
        .map((w) => w.dataSync() as Float32Array),
    );
}

describe('chunked step (gradient caching)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('health views of a big batch keep both views of its first m images', () => {
    const z = tf.tensor2d([0, 1, 2, 3, 10, 11, 12, 13], [8, 1]);
    const kept = takeLeadingImages(z, 2);
    expect(Array.from(kept.dataSync())).toEqual([0, 1, 10, 11]);
    expect(z.isDisposed).toBe(true);
    const small = tf.tensor2d([1, 2], [2, 1]);
    expect(takeLeadingImages(small, 2)).toBe(small);
    tf.dispose([kept, small]);
  });

  it('splits a batch into even passes', () => {
    expect(passRanges(10, 3)).toEqual([
      [0, 4],
      [4, 3],
      [7, 3],
    ]);
    expect(passRanges(4, 8)).toHaveLength(4);
  });

  for (const passes of [2, 4]) {
    it(`gives the whole-batch loss and parameter gradients in ${passes} passes (1e-5 relative)`, () => {
      const model = buildSimclrModel(config);
      const views = randomViews(8, 3);
      const reference = wholeBatchGradients(model, views, passes);
      const chunked = read(
        tf.tidy(() => {
          const step = cachedGradients(model, views, passes, 0.5, false);
          return [step.loss, ...step.grads];
        }),
      );
      expect(Math.abs(chunked.loss - reference.loss)).toBeLessThan(1e-5 * reference.loss);
      expect(relativeError(chunked.grads, reference.grads)).toBeLessThan(1e-5);
      // every parameter, not only the bulk
      for (const [i, g] of chunked.grads.entries())
        expect(relativeError([g], [reference.grads[i]!])).toBeLessThan(1e-4);
      views.dispose();
      model.dispose();
    });
  }

  it('moves the BatchNorm moving statistics as far as one whole-batch step (momentum m^(1/passes) per pass)', () => {
    // Each pass holds the same images with the same views, so every pass's statistics are the batch's.
    const half = randomViews(4, 5);
    const [a, b] = tf.split(half, 2, 0);
    const views = tf.concat([a!, a!, b!, b!]) as tf.Tensor4D;
    const moved = (passes: number) => {
      const model = buildSimclrModel(config);
      tf.tidy(() => {
        cachedGradients(model, views, passes, 0.5, false);
      });
      const stats = movingStatistics(model);
      model.dispose();
      return stats;
    };
    const whole = moved(1);
    const chunked = moved(2);
    const initial = (() => {
      const model = buildSimclrModel(config);
      const s = movingStatistics(model);
      model.dispose();
      return s;
    })();
    whole.forEach((w, i) => {
      for (let k = 0; k < w.length; k++) {
        expect(chunked[i]![k]!).toBeCloseTo(w[k]!, 5);
      }
    });
    expect(whole.some((w, i) => w.some((v, k) => Math.abs(v - initial[i]![k]!) > 1e-4))).toBe(true);
    tf.dispose([half, a!, b!, views]);
  });

  for (const optimizerName of ['adam', 'lars'] as const) {
    it(`gives the same weights as whole-batch steps after 3 ${optimizerName} steps in 4 chunks`, () => {
      const views = [randomViews(8, 21), randomViews(8, 22), randomViews(8, 23)];
      const chunked = tinyModel(config, optimizerName, 1e-4);
      const whole = tinyModel(config, optimizerName, 1e-4);
      for (const v of views) {
        const step = chunkedTrainStep(
          chunked.model,
          chunked.optimizer,
          { augment: () => v.clone(), temperature: 0.5, learningRate: 0.01 },
          4,
          false,
        );
        step.loss.dispose();
        const grads = wholeBatchGradients(whole.model, v, 4);
        tf.tidy(() =>
          whole.optimizer.apply(
            grads.grads.map((g, i) => tf.tensor(Float32Array.from(g), whole.model.params[i]!.variable.shape)),
            0.01,
          ),
        );
      }
      const weights = (m: SimclrModel) => m.params.map((p) => Float64Array.from(p.variable.dataSync()));
      const initial = weights(tinyModel(config).model);
      const [a, b] = [weights(chunked.model), weights(whole.model)];
      expect(relativeError(a, b)).toBeLessThan(1e-5);
      // The steps moved the weights far more than that.
      expect(relativeError(b, initial)).toBeGreaterThan(1e-3);
      tf.dispose(views);
      for (const m of [chunked, whole]) {
        m.optimizer.dispose();
        m.model.dispose();
      }
    });
  }

  it('trains with one optimizer step per batch and keeps the tensor count flat', () => {
    const { model, optimizer } = tinyModel(config, 'lars', 1e-6);
    const views = randomViews(8, 9);
    const before = Float32Array.from(model.params[0]!.variable.dataSync());
    let counted = 0;
    for (let step = 0; step < 3; step++) {
      const { loss, projections, representations } = chunkedTrainStep(
        model,
        optimizer,
        { augment: () => views.clone(), temperature: 0.5, learningRate: 0.1 },
        4,
        true,
      );
      expect(projections!.shape).toEqual([16, 8]);
      expect(representations!.shape[0]).toBe(16);
      expect(Number.isFinite(loss.dataSync()[0])).toBe(true);
      tf.dispose([loss, projections!, representations!]);
      if (step === 0) counted = tf.memory().numTensors;
      else expect(tf.memory().numTensors).toBe(counted);
    }
    const after = model.params[0]!.variable.dataSync();
    expect(after.some((v, i) => v !== before[i])).toBe(true);
    views.dispose();
    optimizer.dispose();
    model.dispose();
  });
});
