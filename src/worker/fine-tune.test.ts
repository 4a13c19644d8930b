import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ImageStore } from '../core/data/image-store';
import { labelsFromPaths } from '../core/eval/labels';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../protocol/config';
import { DEFAULT_FINE_TUNE_CONFIG, type FineTuneConfig, type FineTuneStatus } from '../protocol/fine-tune';
import type { WorkerEvent } from '../protocol/messages';
import { parseSafetensors } from '../protocol/safetensors';
import { FineTuner, type FineTuneSource } from './fine-tune';
import { TrainingRun } from './training-run';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SIZE = 8;
const TINY: TrainConfig = {
  ...DEFAULT_TRAIN_CONFIG,
  encoder: 'resnet-small',
  widthMultiplier: 0.0625,
  imageSize: SIZE,
  batchSize: 8,
  projectionHidden: 16,
  projectionDim: 8,
  duration: { unit: 'steps', value: 1 },
};
const FAST: FineTuneConfig = {
  ...DEFAULT_FINE_TUNE_CONFIG,
  labelFraction: 1,
  steps: 20,
  batchSize: 8,
  learningRate: 0.01,
};

/** 2 classes x 10 images in folders dark/ and bright/. */
function labelledStore(): ImageStore {
  const store = new ImageStore(SIZE);
  ['bright', 'dark'].forEach((folder, c) => {
    for (let k = 0; k < 10; k++) {
      const rgb = Uint8Array.from(
        { length: SIZE * SIZE * 3 },
        (_, i) => (c === 0 ? 180 : 30) + ((i * 7 + k * 13) % 60),
      );
      store.add(rgb, `set/${folder}/${k}.png`);
    }
  });
  return store;
}

async function setup(labelled = true) {
  const events: WorkerEvent[] = [];
  const store = labelledStore();
  const run = new TrainingRun(TINY, store, () => undefined);
  // One SimCLR step, finished: fine-tuning starts only from a run that is not training.
  await run.run();
  const source = (): FineTuneSource => ({
    run,
    store,
    evaluation: { labelsOf: (s) => (labelled ? labelsFromPaths(s.paths) : { reason: 'not labels yet' }) },
  });
  const statuses = () =>
    events.filter((e): e is { type: 'fineTuneStatus' } & FineTuneStatus => e.type === 'fineTuneStatus');
  return { events, run, source, statuses };
}

describe('FineTuner', () => {
  it('fine-tunes to the end: probe, held-out accuracy, confusion matrix and baseline; the run is untouched', async () => {
    const { events, run, source, statuses } = await setup();
    const tuner = new FineTuner((e) => events.push(e));
    const before = run.model.params.map((p) => p.variable.dataSync().slice());
    await tuner.handle({ type: 'fineTuneStart', requestId: 1, config: FAST }, source);
    const phases = statuses().map((s) => s.phase);
    expect(phases[0]).toBe('preparing');
    expect(phases.at(-1)).toBe('done');
    const last = statuses().at(-1)!;
    expect(last.step).toBe(20);
    expect(last.trainCount + last.testCount).toBe(20);
    expect(last.testCount).toBe(4);
    expect(last.majority).toBe(0.5);
    expect(last.confusion.reduce((a, b) => a + b)).toBe(4);
    expect(last.accuracy).toBe(1);
    expect(last.probeAccuracy).toBeGreaterThanOrEqual(0);
    expect(last.hasClassifier).toBe(true);
    // Linear probing then fine-tuning: before step 1 the classifier is the frozen-encoder probe.
    const start = statuses().find((s) => s.evaluatedStep === 0 && Number.isFinite(s.accuracy))!;
    expect(start.accuracy).toBeCloseTo(start.probeAccuracy, 6);
    for (const [i, p] of run.model.params.entries()) expect(p.variable.dataSync()).toEqual(before[i]);

    await tuner.handle({ type: 'exportClassifier', requestId: 2 }, source);
    const exported = events.find((e) => e.type === 'classifierExported');
    expect(exported?.type === 'classifierExported' && exported.metadata.labels).toEqual(['bright', 'dark']);
    expect(exported?.type === 'classifierExported' && exported.metadata.heldOutAccuracy).toBe(1);
    // The PyTorch file: torchvision's fc, [classes, d], after the encoder's names.
    const header = parseSafetensors(
      new Uint8Array(exported?.type === 'classifierExported' ? exported.safetensors : []),
    );
    const dim = run.model.encoder.representationDim;
    expect(header.tensors.get('fc.weight')?.shape).toEqual([2, dim]);
    expect(header.tensors.get('conv1.weight')).toBeDefined();
    expect(header.metadata.head_layer).toBe('none');
    run.dispose();
  }, 60_000);

  it('pauses between steps and stops with the classifier of the last step kept', async () => {
    const { events, run, source, statuses } = await setup();
    let tuner: FineTuner | null = null;
    let paused = false;
    tuner = new FineTuner((e) => {
      events.push(e);
      if (e.type === 'fineTuneStatus' && e.phase === 'running' && e.step >= 2 && !paused) {
        paused = true;
        void tuner!.handle({ type: 'fineTunePause' }, source);
        setTimeout(() => void tuner!.handle({ type: 'fineTuneStop' }, source), 200);
      }
    });
    await tuner.handle({ type: 'fineTuneStart', requestId: 1, config: FAST }, source);
    const phases = statuses().map((s) => s.phase);
    expect(phases).toContain('paused');
    const last = statuses().at(-1)!;
    expect(last.phase).toBe('stopped');
    expect(last.step).toBeLessThan(20);
    expect(last.evaluatedStep).toBe(last.step);
    expect(last.message).toContain(`Stopped at step ${last.step} of 20`);
    expect(last.hasClassifier).toBe(true);
    expect(tuner.active).toBe(false);
    run.dispose();
  }, 60_000);

  it('refuses without labels or with bad settings, saying why', async () => {
    const unlabelled = await setup(false);
    const tuner = new FineTuner(() => undefined);
    await expect(
      tuner.handle({ type: 'fineTuneStart', requestId: 1, config: FAST }, unlabelled.source),
    ).rejects.toThrow('Fine-tuning needs labels: not labels yet');
    const labelled = await setup();
    await expect(
      tuner.handle({ type: 'fineTuneStart', requestId: 2, config: { ...FAST, steps: 0 } }, labelled.source),
    ).rejects.toThrow('Fine-tune steps must be a whole number');
    await expect(tuner.handle({ type: 'exportClassifier', requestId: 3 }, labelled.source)).rejects.toThrow(
      'Fine-tune a classifier first',
    );
    unlabelled.run.dispose();
    labelled.run.dispose();
  });
});
