import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { peakLearningRate } from '../../protocol/config';
import { randomImageStore, tinyConfig } from './test-fixtures';
import { Trainer } from './trainer';

const config = tinyConfig({ projectionHidden: 8, projectionDim: 4, warmupFraction: 0.5, learningRateScaling: 'none' });

describe('Trainer', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('warms up then decays over totalSteps; without a total it trains at the peak rate', () => {
    const store = randomImageStore(8);
    const scheduled = new Trainer(config, store, { totalSteps: 4 });
    const peak = peakLearningRate(config);
    expect([0, 1, 2, 3].map((s) => scheduled.learningRate(s))).toEqual([peak / 2, peak, peak, peak / 2]);
    const constant = new Trainer(config, store);
    expect(constant.learningRate(0)).toBe(peak);
    expect(constant.learningRate(1000)).toBe(peak);
    scheduled.dispose();
    constant.dispose();
  });

  it('a trainer resumed from resumeState() draws what the uninterrupted one draws next', () => {
    const store = randomImageStore(8);
    const straight = new Trainer(config, store, { totalSteps: 10 });
    for (let step = 0; step < 3; step++) straight.draw(step);
    const resumed = new Trainer(config, store, { totalSteps: 10, from: straight.resumeState() });
    for (let step = 3; step < 6; step++) {
      const a = straight.draw(step);
      const b = resumed.draw(step);
      expect([...b.indices]).toEqual([...a.indices]);
      expect(b.views).toEqual(a.views);
      expect(b.learningRate).toBe(a.learningRate);
    }
    straight.dispose();
    resumed.dispose();
  });

  it('trains a draw again without drawing anew, and frees everything it made', async () => {
    const store = randomImageStore(8);
    const before = tf.memory().numTensors;
    const trainer = new Trainer(config, store, { totalSteps: 10 });
    const draw = trainer.draw(0);
    const first = trainer.train(draw, 1, true);
    const again = trainer.train(draw, 2, false);
    expect([...again.indices]).toEqual([...draw.indices]);
    expect(first.projections?.shape).toEqual([2 * config.batchSize, config.projectionDim]);
    expect(again.projections).toBeNull();
    // GPU-to-CPU sync (test only): the two losses are finite.
    expect(Number.isFinite((await first.loss.data())[0]!)).toBe(true);
    expect(Number.isFinite((await again.loss.data())[0]!)).toBe(true);
    tf.dispose([first.loss, again.loss, first.projections!, first.representations!]);
    // The next draw continues the sampler: the batch after the first one of the epoch.
    expect([...trainer.draw(1).indices]).not.toEqual([...draw.indices]);
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
