import { existsSync } from 'node:fs';
import { test } from '@playwright/test';
import { DEFAULT_TRAIN_CONFIG, SIMCLR_CIFAR_AUGMENT, type TrainConfig } from '../../src/protocol/config';
import { FASHION_MNIST_DIR, loadFashionMnist } from './quality/fashion-mnist';
import { knnRawPixels, trainOurs, useWasmBackend } from './quality/ours';
import { PROFILE, report } from './report';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

/**
 * The large-batch quality pair (`BENCH_PROFILE=quality npx playwright test -c e2e/bench/bench.config.ts
 * quality-batch --workers=2`): the same SimCLR configuration for the same number of epochs on the same
 * Fashion-MNIST slice, once at batch 512 trained in chunks of 64 (gradient caching) and once at batch 64
 * in one piece, each evaluated by weighted kNN (k=200, t=0.1) on the test slice. The two arms run in
 * separate workers, side by side. Learning rates follow the sqrt scaling rule (SimCLR appendix B.1).
 */
const EPOCHS = env('QUALITY_EPOCHS', 10);
const TRAIN_IMAGES = env('QUALITY_TRAIN_IMAGES', 1_024);
const TEST_IMAGES = env('QUALITY_TEST_IMAGES', 1_000);

const base: TrainConfig = {
  ...DEFAULT_TRAIN_CONFIG,
  seed: 1,
  encoder: 'resnet-small',
  widthMultiplier: 0.25,
  imageSize: 28,
  projectionHidden: 256,
  projectionDim: 128,
  temperature: 0.5,
  optimizer: 'adam',
  // sqrt scaling: peak 1e-3 at batch 64, 2.8e-3 at batch 512.
  learningRate: 1e-3 / 8,
  learningRateScaling: 'sqrt',
  weightDecay: 1e-6,
  warmupFraction: 0.1,
  duration: { unit: 'epochs', value: EPOCHS },
  metricsEvery: 1,
  augment: SIMCLR_CIFAR_AUGMENT,
};

const ARMS = [
  { name: 'batch512_chunks64', batchSize: 512, chunkSize: 64 },
  { name: 'batch64_whole', batchSize: 64, chunkSize: null },
] as const;

test.describe.configure({ mode: 'parallel' });

for (const arm of ARMS) {
  test(`quality: ${arm.name} for ${EPOCHS} epochs (weighted kNN)`, async () => {
    test.skip(PROFILE !== 'quality', 'run with BENCH_PROFILE=quality');
    test.skip(!existsSync(FASHION_MNIST_DIR), `needs Debian's dataset-fashion-mnist (${FASHION_MNIST_DIR})`);
    test.setTimeout(4 * 3600_000);
    const train = loadFashionMnist('train', TRAIN_IMAGES);
    const testSet = loadFashionMnist('t10k', TEST_IMAGES);
    const config: TrainConfig = { ...base, batchSize: arm.batchSize, chunkSize: arm.chunkSize };
    await useWasmBackend();
    const result = await trainOurs(config, train, testSet);
    const shared = {
      arm: arm.name,
      batch: arm.batchSize,
      chunk: arm.chunkSize,
      epochs: EPOCHS,
      steps: result.losses.length,
      train_images: TRAIN_IMAGES,
      test_images: TEST_IMAGES,
      encoder: base.encoder,
      width: base.widthMultiplier,
      image_px: base.imageSize,
      backend: 'wasm (Node)',
    };
    report({ metric: 'quality_batch.knn', value: result.knn, unit: 'accuracy', ...shared });
    report({ metric: 'quality_batch.knn_random_init', value: result.knnRandomInit, unit: 'accuracy', ...shared });
    report({
      metric: 'quality_batch.knn_raw_pixels',
      value: knnRawPixels(train, testSet),
      unit: 'accuracy',
      ...shared,
    });
    const last = result.losses.slice(-Math.max(1, Math.round(result.losses.length / 10)));
    report({
      metric: 'quality_batch.final_loss',
      value: last.reduce((s, v) => s + v, 0) / last.length,
      unit: 'nt-xent (mean of the last tenth of steps)',
      ...shared,
    });
    report({ metric: 'quality_batch.train_seconds', value: result.seconds, unit: 's', ...shared });
  });
}
