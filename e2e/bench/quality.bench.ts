import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from '@playwright/test';
import { DEFAULT_TRAIN_CONFIG, SIMCLR_CIFAR_AUGMENT, type TrainConfig } from '../../src/protocol/config';
import { FASHION_MNIST_DIR, loadFashionMnist } from './quality/fashion-mnist';
import { knnRawPixels, trainOurs, useWasmBackend } from './quality/ours';
import { PROFILE, report } from './report';

const HERE = dirname(fileURLToPath(import.meta.url));
const RESULTS = join(HERE, '..', '..', 'bench-results');
const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

/**
 * Quality profile (`BENCH_PROFILE=quality npm run bench`): the same small SimCLR configuration trained by our
 * engine (Node, wasm backend, the browser's TrainingRun) and by a PyTorch reference
 * (quality/simclr_reference.py), both evaluated by weighted kNN (k=200, t=0.1) on Fashion-MNIST's test slice.
 */
const STEPS = env('QUALITY_STEPS', 300);
const TRAIN_IMAGES = env('QUALITY_TRAIN_IMAGES', 5_000);
const TEST_IMAGES = env('QUALITY_TEST_IMAGES', 1_000);

const config: TrainConfig = {
  ...DEFAULT_TRAIN_CONFIG,
  seed: 1,
  encoder: 'resnet-small',
  widthMultiplier: 0.25,
  imageSize: 28,
  batchSize: 128,
  projectionHidden: 256,
  projectionDim: 128,
  temperature: 0.5,
  optimizer: 'adam',
  learningRate: 1e-3,
  learningRateScaling: 'none',
  weightDecay: 1e-6,
  warmupFraction: 0.1,
  duration: { unit: 'steps', value: STEPS },
  metricsEvery: 10,
  augment: SIMCLR_CIFAR_AUGMENT,
};

test('quality: our SimCLR vs a PyTorch reference on Fashion-MNIST (weighted kNN)', async () => {
  test.skip(PROFILE !== 'quality', 'run with BENCH_PROFILE=quality');
  test.skip(!existsSync(FASHION_MNIST_DIR), `needs Debian's dataset-fashion-mnist (${FASHION_MNIST_DIR})`);
  test.setTimeout(4 * 3600_000);
  const shared = {
    encoder: config.encoder,
    width: config.widthMultiplier,
    image_px: config.imageSize,
    batch: config.batchSize,
    steps: STEPS,
    train_images: TRAIN_IMAGES,
    test_images: TEST_IMAGES,
  };
  const train = loadFashionMnist('train', TRAIN_IMAGES);
  const testSet = loadFashionMnist('t10k', TEST_IMAGES);
  mkdirSync(RESULTS, { recursive: true });

  const configFile = join(RESULTS, 'quality-config.json');
  writeFileSync(
    configFile,
    JSON.stringify({ ...config, steps: STEPS, trainImages: TRAIN_IMAGES, testImages: TEST_IMAGES, threads: 1 }),
  );
  // Both trainings use one thread each and run side by side (this machine class has 2 cores).
  const referenceRun = runReference(configFile);
  await useWasmBackend();
  const ours = await trainOurs(config, train, testSet);
  const raw = knnRawPixels(train, testSet);
  const reference = await referenceRun;

  report({ metric: 'quality.knn_ours', value: ours.knn, unit: 'accuracy', backend: 'wasm (Node)', ...shared });
  report({
    metric: 'quality.knn_reference',
    value: reference.knn,
    unit: 'accuracy',
    torch: reference.torch,
    ...shared,
  });
  report({ metric: 'quality.knn_random_init', value: ours.knnRandomInit, unit: 'accuracy', ...shared });
  report({ metric: 'quality.knn_reference_random_init', value: reference.knnRandomInit, unit: 'accuracy', ...shared });
  report({ metric: 'quality.knn_raw_pixels', value: raw, unit: 'accuracy', ...shared });
  report({ metric: 'quality.knn_gap_points', value: 100 * (reference.knn - ours.knn), unit: 'points', ...shared });
  report({
    metric: 'quality.final_loss_ours',
    value: mean(ours.losses.slice(-20)),
    unit: 'nt-xent (mean of last 20 steps)',
    ...shared,
  });
  report({
    metric: 'quality.final_loss_reference',
    value: mean(reference.losses.slice(-20)),
    unit: 'nt-xent (mean of last 20 steps)',
    ...shared,
  });
  report({ metric: 'quality.train_seconds_ours', value: ours.seconds, unit: 's', ...shared });
  report({ metric: 'quality.train_seconds_reference', value: reference.seconds, unit: 's', ...shared });
  const curves = { config, steps: STEPS, ours: ours.losses, reference: reference.losses };
  writeFileSync(join(RESULTS, 'quality-loss-curves.json'), JSON.stringify(curves));
  console.log(`loss curves (every 25th step), ours vs reference:\n${lossTable(ours.losses, reference.losses, 25)}`);
});

interface ReferenceResult {
  losses: number[];
  knn: number;
  knnRandomInit: number;
  seconds: number;
  torch: string;
}

function runReference(configFile: string): Promise<ReferenceResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [join(HERE, 'quality', 'simclr_reference.py'), configFile]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(stdout) as ReferenceResult);
      else reject(new Error(`the PyTorch reference failed (needs python3-torch, python3-torchvision):\n${stderr}`));
    });
  });
}

function mean(values: number[]): number {
  return values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
}

function lossTable(ours: number[], reference: number[], every: number): string {
  const rows: string[] = ['step   ours     reference'];
  for (let i = every - 1; i < Math.max(ours.length, reference.length); i += every) {
    rows.push(
      `${String(i + 1).padStart(4)}  ${(ours[i] ?? Number.NaN).toFixed(4)}  ${(reference[i] ?? Number.NaN).toFixed(4)}`,
    );
  }
  return rows.join('\n');
}
