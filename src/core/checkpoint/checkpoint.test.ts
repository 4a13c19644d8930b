import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SIMCLR_IMAGENET_AUGMENT } from '../../protocol/config';
import { drawViewParams } from '../augment/params';
import { EpochSampler } from '../data/epoch-sampler';
import { createOptimizer, type Optimizer } from '../optim/optimizers';
import { Rng } from '../random/rng';
import { buildSimclrModel, type SimclrModel } from '../train/simclr-model';
import { tinyConfig } from '../train/test-fixtures';
import { trainStep } from '../train/train-step';
import { datasetFingerprint } from './fingerprint';
import { MetricsHistory } from './history';
import { deserializeTrainingState, serializeTrainingState } from './serialize';
import { captureTrainingState, restoreTrainingState, type TrainingState } from './training-state';

const config = tinyConfig({ imageSize: 12, augment: SIMCLR_IMAGENET_AUGMENT });
const STORE = 16;
const IMAGES = 10;

/** A tiny data set of random pixels. */
const pixels = (() => {
  const rng = new Rng(3);
  return Int32Array.from({ length: IMAGES * STORE * STORE * 3 }, () => rng.int(256));
})();

/** The training loop's moving parts, as TrainingRun holds them. */
class Loop {
  model: SimclrModel;
  optimizer: Optimizer;
  sampler: EpochSampler;
  rng: Rng;
  step = 0;
  history = new MetricsHistory();

  constructor(from?: TrainingState) {
    this.model = buildSimclrModel(config);
    this.optimizer = createOptimizer(config.optimizer, this.model.params, { weightDecay: 1e-4 });
    this.sampler = new EpochSampler(IMAGES, config.batchSize, from ? from.sampler : config.seed);
    this.rng = new Rng(from ? from.augmentRng : config.seed + 1);
    if (from) {
      restoreTrainingState(from, this);
      this.step = from.step;
      this.history = new MetricsHistory(from.history);
    }
  }

  async run(steps: number): Promise<number[]> {
    const losses: number[] = [];
    for (let i = 0; i < steps; i++) {
      const indices = this.sampler.nextBatch();
      const gathered = new Int32Array(indices.length * STORE * STORE * 3);
      indices.forEach((index, k) => {
        const size = STORE * STORE * 3;
        gathered.set(pixels.subarray(index * size, (index + 1) * size), k * size);
      });
      const images = tf.tensor4d(gathered, [indices.length, STORE, STORE, 3], 'int32');
      const views = drawViewParams(this.rng, 2 * config.batchSize, STORE, config.augment);
      const { loss } = trainStep(
        this.model,
        this.optimizer,
        { images, views, viewSize: config.imageSize, temperature: 0.5, learningRate: 0.01 },
        false,
      );
      images.dispose();
      const value = (await loss.data())[0]!;
      loss.dispose();
      this.step += 1;
      this.history.record(this.step, [value], [0.01], { step: this.step, positive: 0.5, negative: Number.NaN });
      losses.push(value);
    }
    return losses;
  }

  capture(): Promise<TrainingState> {
    return captureTrainingState({
      step: this.step,
      config,
      model: this.model,
      optimizer: this.optimizer,
      sampler: this.sampler.state(),
      augmentRng: this.rng.state(),
      datasetFingerprint: 'test',
      imageCount: IMAGES,
      lastLoss: this.history.snapshot().losses[this.step - 1] ?? null,
      history: this.history.snapshot(),
    });
  }

  dispose(): void {
    this.optimizer.dispose();
    this.model.dispose();
  }
}

describe('checkpoint: capture, serialize, restore', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('5 steps in one go equal 2 steps + save + load into a fresh model + 3 steps, exactly', async () => {
    // 5 steps over 10 images in batches of 4 cross an epoch boundary (2 batches per epoch).
    const straight = new Loop();
    const reference = await straight.run(5);
    straight.dispose();

    const first = new Loop();
    const head = await first.run(2);
    const bytes = serializeTrainingState(await first.capture());
    first.dispose();
    const state = deserializeTrainingState(bytes);
    expect(state.step).toBe(2);
    expect(state.optimizer.stepCount).toBe(2);
    const second = new Loop(state);
    const tail = await second.run(3);
    expect([...head, ...tail]).toEqual(reference);
    expect(Array.from(second.history.snapshot().losses)).toEqual(reference.map((v) => Math.fround(v)));
    second.dispose();
  });

  it('captures BatchNorm moving statistics and the optimizer slots, and round-trips them bit for bit', async () => {
    const loop = new Loop();
    await loop.run(1);
    const state = await loop.capture();
    loop.dispose();
    const names = state.weights.map((w) => w.name);
    expect(names.some((n) => n.endsWith('moving_mean'))).toBe(true);
    expect(names.some((n) => n.endsWith('moving_variance'))).toBe(true);
    expect(state.optimizer.slots.length).toBe(2 * loop.model.params.length);
    expect(state.optimizer.slots[0]!.name).toMatch(/^encoder\/\d+\/kernel\/adam_m$/);
    const back = deserializeTrainingState(serializeTrainingState(state));
    expect(back.weights.map((w) => w.name)).toEqual(names);
    back.weights.forEach((w, i) => {
      expect(w.shape).toEqual(state.weights[i]!.shape);
      expect(new Uint8Array(w.values.buffer)).toEqual(new Uint8Array(state.weights[i]!.values.buffer));
    });
    expect(back.sampler).toEqual(state.sampler);
    expect(back.augmentRng).toEqual(state.augmentRng);
    expect(back.config).toEqual(config);
    // NaN survives (JSON alone would turn it into null).
    expect(back.history.similarity[0]!.negative).toBeNaN();
  });

  it('refuses a checkpoint that does not fit the model, without touching it', async () => {
    const loop = new Loop();
    await loop.run(1);
    const state = await loop.capture();
    loop.dispose();
    const wider = buildSimclrModel({ ...config, widthMultiplier: 1 / 8 });
    const optimizer = createOptimizer('adam', wider.params, { weightDecay: 0 });
    const before = wider.params[0]!.variable.dataSync().slice();
    expect(() => restoreTrainingState(state, { model: wider, optimizer })).toThrow(/does not fit/);
    expect(wider.params[0]!.variable.dataSync()).toEqual(before);
    optimizer.dispose();
    wider.dispose();
  });

  it('rejects foreign, truncated and corrupt bytes with a readable message', () => {
    expect(() => deserializeTrainingState(new TextEncoder().encode('PK\u0003\u0004 not a checkpoint'))).toThrow(
      /not a simclr-tab checkpoint/,
    );
    const good = serializeTrainingState(
      smallState({ weights: [{ name: 'w', shape: [3], values: Float32Array.from([1, 2, 3]) }] }),
    );
    expect(deserializeTrainingState(good).weights[0]!.values).toEqual(Float32Array.from([1, 2, 3]));
    expect(() => deserializeTrainingState(good.subarray(0, good.length - 4))).toThrow(/truncated/);
    const corrupt = good.slice();
    corrupt[14] = 0x7b; // '{' inside the JSON header
    corrupt[13] = 0x7d;
    expect(() => deserializeTrainingState(corrupt)).toThrow(/corrupt/);
  });
});

/** A training state with no weights or history to speak of, for format tests; `over` replaces fields. */
function smallState(over: Partial<TrainingState>): TrainingState {
  return {
    version: 1,
    step: 0,
    config,
    weights: [],
    optimizer: { name: 'adam', stepCount: 0, slots: [] },
    sampler: { epoch: 0, cursor: 0, rng: [1, 2, 3, 4] },
    augmentRng: [5, 6, 7, 8],
    datasetFingerprint: 'x',
    imageCount: 2,
    lastLoss: null,
    history: { losses: new Float32Array(0), learningRates: new Float32Array(0), similarity: [] },
    ...over,
  };
}

describe('a checkpoint saved before a config field existed', () => {
  it('loads with the field at its default: no chunkSize means auto chunks (null)', () => {
    const { chunkSize: _absent, ...older } = { ...config, chunkSize: 8 };
    const bytes = serializeTrainingState(
      smallState({ step: 3, config: older as typeof config, optimizer: { name: 'adam', stepCount: 3, slots: [] } }),
    );
    const back = deserializeTrainingState(bytes);
    expect('chunkSize' in older).toBe(false);
    expect(back.config.chunkSize).toBeNull();
    expect({ ...back.config, chunkSize: undefined }).toEqual({ ...config, chunkSize: undefined });
  });
});

describe('datasetFingerprint', () => {
  const source = (bytes: number[], paths: string[]) => ({
    size: 1,
    length: paths.length,
    paths,
    image: (i: number) => Uint8Array.from(bytes.slice(i * 3, i * 3 + 3)),
  });

  it('changes with any pixel or path, and is stable otherwise', () => {
    const a = datasetFingerprint(source([1, 2, 3, 4, 5, 6], ['a.png', 'b.png']));
    expect(datasetFingerprint(source([1, 2, 3, 4, 5, 6], ['a.png', 'b.png']))).toBe(a);
    expect(datasetFingerprint(source([1, 2, 3, 4, 5, 7], ['a.png', 'b.png']))).not.toBe(a);
    expect(datasetFingerprint(source([1, 2, 3, 4, 5, 6], ['a.png', 'c.png']))).not.toBe(a);
    expect(a).toMatch(/^2x1px-[0-9a-f]{16}$/);
  });
});
