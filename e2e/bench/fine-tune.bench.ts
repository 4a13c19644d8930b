import { existsSync } from 'node:fs';
import { test } from '@playwright/test';
import { ImageStore } from '../../src/core/data/image-store';
import { labelsFromPaths } from '../../src/core/eval/labels';
import { DEFAULT_TRAIN_CONFIG, SIMCLR_CIFAR_AUGMENT, type TrainConfig } from '../../src/protocol/config';
import { DEFAULT_FINE_TUNE_CONFIG, type FineTuneConfig, type FineTuneStatus } from '../../src/protocol/fine-tune';
import { FineTuner } from '../../src/worker/fine-tune';
import { TrainingRun } from '../../src/worker/training-run';
import { FASHION_MNIST_DIR, loadFashionMnist } from './quality/fashion-mnist';
import { useWasmBackend } from './quality/ours';
import { PROFILE, report } from './report';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

/**
 * Fine-tune profile (`BENCH_PROFILE=fine-tune npm run bench`): SimCLR on the first IMAGES Fashion-MNIST training
 * images (Node, wasm backend, the browser's TrainingRun), then the app's FineTuner with LABEL_FRACTION of the
 * labels: fine-tuned from the SimCLR encoder, the same classifier from random weights, and the linear probe on
 * the frozen encoder, all with the same labelled and held-out images (20% of each class held out).
 */
const IMAGES = env('FINETUNE_IMAGES', 2_000);
const SIMCLR_STEPS = env('FINETUNE_SIMCLR_STEPS', 300);
const FRACTION = env('FINETUNE_LABEL_FRACTION', 0.1);

const config: TrainConfig = {
  ...DEFAULT_TRAIN_CONFIG,
  seed: 1,
  encoder: 'resnet-small',
  widthMultiplier: env('FINETUNE_WIDTH', 0.125),
  imageSize: 28,
  batchSize: env('FINETUNE_SIMCLR_BATCH', 128),
  projectionHidden: 128,
  projectionDim: 64,
  temperature: 0.5,
  optimizer: 'adam',
  learningRate: 1e-3,
  learningRateScaling: 'none',
  weightDecay: 1e-6,
  warmupFraction: 0.1,
  duration: { unit: 'steps', value: SIMCLR_STEPS },
  metricsEvery: 10,
  augment: SIMCLR_CIFAR_AUGMENT,
};

const fineTune: FineTuneConfig = {
  ...DEFAULT_FINE_TUNE_CONFIG,
  labelFraction: FRACTION,
  steps: env('FINETUNE_STEPS', 100),
  batchSize: env('FINETUNE_BATCH', 32),
  learningRate: env('FINETUNE_LR', 1e-3),
  seed: 1,
};

test('fine-tune: few labels, fine-tuned vs from random weights vs frozen linear probe (Fashion-MNIST)', async () => {
  test.skip(PROFILE !== 'fine-tune', 'run with BENCH_PROFILE=fine-tune');
  test.skip(!existsSync(FASHION_MNIST_DIR), `needs Debian's dataset-fashion-mnist (${FASHION_MNIST_DIR})`);
  test.setTimeout(4 * 3600_000);
  await useWasmBackend();
  const images = loadFashionMnist('train', IMAGES);
  const store = new ImageStore(images.side, images.count);
  const perImage = images.side * images.side * 3;
  for (let i = 0; i < images.count; i++)
    store.add(images.rgb.subarray(i * perImage, (i + 1) * perImage), `fmnist/class-${images.labels[i]}/${i}.png`);

  const started = performance.now();
  const run = new TrainingRun(config, store, () => undefined);
  await run.run();
  const simclrSeconds = (performance.now() - started) / 1000;
  const shared = {
    images: IMAGES,
    width: config.widthMultiplier,
    simclr_steps: SIMCLR_STEPS,
    simclr_batch: config.batchSize,
    label_fraction: FRACTION,
    fine_tune_steps: fineTune.steps,
    fine_tune_batch: fineTune.batchSize,
    fine_tune_lr: fineTune.learningRate,
    backend: 'wasm (Node)',
  };
  report({ metric: 'fine_tune.simclr_seconds', value: simclrSeconds, unit: 's', ...shared });

  const source = () => ({ run, store, evaluation: { labelsOf: (s: ImageStore) => labelsFromPaths(s.paths) } });
  const finalStatus = async (init: FineTuneConfig['init']) => {
    let last: FineTuneStatus | null = null;
    const tuner = new FineTuner((event) => {
      if (event.type === 'fineTuneStatus') last = event;
    });
    const t0 = performance.now();
    await tuner.handle({ type: 'fineTuneStart', requestId: 1, config: { ...fineTune, init } }, source);
    const status = last as FineTuneStatus | null;
    if (status?.phase !== 'done') throw new Error(`fine-tuning ended ${status?.phase}: ${status?.message}`);
    return { status, seconds: (performance.now() - t0) / 1000 };
  };
  const tuned = await finalStatus('encoder');
  const scratch = await finalStatus('random');
  const counts = { train_images: tuned.status.trainCount, test_images: tuned.status.testCount };
  report({
    metric: 'fine_tune.accuracy_fine_tuned',
    value: tuned.status.accuracy,
    unit: 'accuracy',
    ...shared,
    ...counts,
  });
  report({
    metric: 'fine_tune.accuracy_random_init',
    value: scratch.status.accuracy,
    unit: 'accuracy',
    ...shared,
    ...counts,
  });
  report({
    metric: 'fine_tune.accuracy_linear_probe',
    value: tuned.status.probeAccuracy,
    unit: 'accuracy',
    ...shared,
    ...counts,
  });
  report({
    metric: 'fine_tune.accuracy_majority',
    value: tuned.status.majority,
    unit: 'accuracy',
    ...shared,
    ...counts,
  });
  report({ metric: 'fine_tune.seconds_fine_tuned', value: tuned.seconds, unit: 's', ...shared });
  report({ metric: 'fine_tune.seconds_random_init', value: scratch.seconds, unit: 's', ...shared });
  run.dispose();
});
