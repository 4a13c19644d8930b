import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ImageStore } from '../core/data/image-store';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../protocol/config';
import type { WorkerEvent } from '../protocol/messages';
import { Evaluation, NOT_LABELS_REASON } from './evaluation';
import { TrainingRun } from './training-run';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SIZE = 16;

/** 3 classes x 8 images in folders a/, b/, c/: a class is a colour, each image a shifted stripe pattern. */
function labelledStore(): ImageStore {
  const store = new ImageStore(SIZE);
  const colours = [
    [220, 30, 30],
    [30, 200, 40],
    [40, 60, 230],
  ];
  ['a', 'b', 'c'].forEach((folder, c) => {
    for (let k = 0; k < 8; k++) {
      const rgb = new Uint8Array(SIZE * SIZE * 3);
      for (let y = 0; y < SIZE; y++)
        for (let x = 0; x < SIZE; x++) {
          const on = (x + y + k) % 4 < 2;
          for (let ch = 0; ch < 3; ch++) rgb[(y * SIZE + x) * 3 + ch] = on ? colours[c]![ch]! : 20 + k * 5;
        }
      store.add(rgb, `set/${folder}/${k}.png`);
    }
  });
  return store;
}

const TINY: TrainConfig = {
  ...DEFAULT_TRAIN_CONFIG,
  encoder: 'resnet-small',
  widthMultiplier: 0.0625,
  imageSize: SIZE,
  batchSize: 8,
  duration: { unit: 'steps', value: 4 },
  metricsEvery: 1,
};

describe('Evaluation', () => {
  it('embeds before, during and after a run; kNN in [0, 1]; unit-length h for search; probe; health in metrics', async () => {
    const events: WorkerEvent[] = [];
    const emit = (e: WorkerEvent) => events.push(e);
    const store = labelledStore();
    const run = new TrainingRun(TINY, store, emit);
    const evaluation = new Evaluation(emit);
    evaluation.configure({ embedEvery: 2, maxImages: 10_000 });
    await evaluation.setUseFolderLabels(true);
    evaluation.attach(run, store);
    await evaluation.fullPass();
    await run.run();
    await evaluation.fullPass();
    const passes = events.filter((e) => e.type === 'embeddings');
    expect(passes.map((p) => p.step)).toEqual([0, 2, 4]);
    for (const pass of passes) {
      expect(pass.indices.length).toBe(24);
      expect(pass.pca.length).toBe(48);
      expect(pass.labelNames).toEqual(['a', 'b', 'c']);
      expect(pass.knn).not.toBeNull();
      for (const v of [pass.knn!.k20, pass.knn!.k200]) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
      expect(pass.knn!.testCount + pass.knn!.bankCount).toBe(24);
      // The largest class's share of the held-out images: a whole number of them, at least a third.
      const majorityImages = pass.knn!.majority * pass.knn!.testCount;
      expect(majorityImages).toBeCloseTo(Math.round(majorityImages), 6);
      expect(pass.knn!.majority).toBeGreaterThanOrEqual(1 / 3);
    }
    const metrics = events.filter((e) => e.type === 'metrics');
    expect(metrics.length).toBe(4);
    const health = metrics[0]!.health!;
    expect(health.positiveHistogram.reduce((a, b) => a + b)).toBe(16);
    expect(health.negativeHistogram.reduce((a, b) => a + b)).toBe(16 * 14);
    expect(health.representationDim).toBe(32);

    // Search by image runs on the page over these vectors as cosines: each row must be unit length.
    const last = passes.at(-1)!;
    expect(last.vectors.length).toBe(24 * last.dim);
    for (let row = 0; row < 24; row++)
      expect(Math.hypot(...last.vectors.subarray(row * last.dim, (row + 1) * last.dim))).toBeCloseTo(1, 4);

    await evaluation.probe(8);
    const probe = events.find((e) => e.type === 'probeResult');
    expect(probe?.type === 'probeResult' && probe.testAccuracy).toBeGreaterThanOrEqual(0);
    expect(probe?.type === 'probeResult' && probe.classes).toBe(3);
    run.dispose();
    evaluation.reset();
  }, 60_000);

  it('uses no labels until the folder names are said to be labels, then sends the last pass again with them', async () => {
    const events: WorkerEvent[] = [];
    const emit = (e: WorkerEvent) => events.push(e);
    const store = labelledStore();
    const run = new TrainingRun({ ...TINY, duration: { unit: 'steps', value: 1 } }, store, emit);
    const evaluation = new Evaluation(emit);
    evaluation.attach(run, store);
    await evaluation.fullPass();
    const passes = () => events.filter((e) => e.type === 'embeddings');
    const unlabelled = passes().at(-1)!;
    expect(unlabelled.labels).toBeNull();
    expect(unlabelled.knn).toBeNull();
    expect(unlabelled.labelReason).toBe(NOT_LABELS_REASON);
    await expect(evaluation.probe(1)).rejects.toThrow(NOT_LABELS_REASON);

    await evaluation.setUseFolderLabels(true);
    const labelled = passes().at(-1)!;
    expect(passes()).toHaveLength(2);
    expect(labelled.step).toBe(0);
    expect(labelled.labelNames).toEqual(['a', 'b', 'c']);
    expect(labelled.labels).toHaveLength(24);
    expect(labelled.knn?.majority).toBeGreaterThanOrEqual(1 / 3);
    await evaluation.probe(2);
    const probe = events.find((e) => e.type === 'probeResult');
    expect(probe?.type === 'probeResult' && probe.majority).toBe(labelled.knn?.majority);

    await evaluation.setUseFolderLabels(false);
    expect(passes()).toHaveLength(3);
    expect(passes().at(-1)!.labels).toBeNull();
    run.dispose();
    evaluation.reset();
  }, 60_000);
});
