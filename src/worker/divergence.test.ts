import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { firstNonFinite } from '../core/checkpoint/finite';
import { ImageStore } from '../core/data/image-store';
import { Rng } from '../core/random/rng';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../protocol/config';
import type { WorkerEvent } from '../protocol/messages';
import { DeviceWatch, runWithRecovery, withKeeper } from './fault-recovery';
import { TrainingRun } from './training-run';

// SGD at an absurd learning rate blows the weights up after one step, and the next loss is not finite.
const config: TrainConfig = {
  ...DEFAULT_TRAIN_CONFIG,
  encoder: 'resnet-small',
  widthMultiplier: 1 / 16,
  imageSize: 8,
  batchSize: 4,
  projectionHidden: 8,
  projectionDim: 4,
  optimizer: 'sgd',
  learningRate: 1e35,
  warmupFraction: 0,
  metricsEvery: 1,
  duration: { unit: 'steps', value: 6 },
};

describe('a diverging run', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('stops with a clear message and goes back to the last good state', async () => {
    const rng = new Rng(3);
    const store = new ImageStore(8);
    for (let i = 0; i < 8; i++)
      store.add(
        Uint8Array.from({ length: 8 * 8 * 3 }, () => rng.int(256)),
        `img/${i}.png`,
      );
    const events: WorkerEvent[] = [];
    const emit = (event: WorkerEvent) => events.push(event);
    const options = withKeeper({}, config);
    const first = new TrainingRun(config, store, emit, options);
    let current = first;
    await runWithRecovery(first, options, {
      emit,
      watch: new DeviceWatch(),
      makeRun: (c, o) => new TrainingRun(c, store, emit, o),
      optionsFor: () => ({}),
      replaceRun: (next) => {
        current = next;
      },
    });
    expect(current).not.toBe(first);
    expect(current.phase).toBe('stopped');
    const last = events.filter((e) => e.type === 'trainState').at(-1);
    expect(last?.type === 'trainState' && last.message).toMatch(/diverged.*restored to step 1/s);
    expect(events.some((e) => e.type === 'error' && /became (NaN|Infinity|-Infinity)/.test(e.error.message))).toBe(
      true,
    );
    expect(current.step).toBe(1);
    expect(firstNonFinite(await current.capture())).toBeNull();
    current.dispose();
  });
});
