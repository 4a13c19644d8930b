/**
 * The real SimCLR training step on tfjs-backend-wasm in Node (single thread: tfjs runs wasm unthreaded
 * in Node), small ResNet width 1 at 32 px, batch 128 (256 views): views/s, and tf.profile's slowest
 * kernels. Env: STEPS (timed steps, default 3), BATCH (default 128), KERNELS (custom | stock | ids, comma-separated: our kernels switched on for wasm
 * by selectKernels as the app does, among them wasm-conv2d-input-grad and batchnorm-relu-ops; default
 * custom, as the app's default). Run by hand (KERNELS=stock for tfjs-backend-wasm's own kernels):
 *   BATCH=32 STEPS=2 npx vitest run -c e2e/bench/cpu/vitest.config.ts wasm-step
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { it } from 'vitest';
import { registerWasmConv2dFilterGrad } from '../../../src/core/backend/conv2d-grad-in-ops';
import { defineAllCustomKernels, type KernelSelection, selectKernels } from '../../../src/core/kernels';
import { Trainer } from '../../../src/core/train/trainer';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../../../src/protocol/config';
import { syntheticStore } from '../synthetic-store';

const BATCH = Number(process.env.BATCH ?? 128);
const SIZE = 32;
const STEPS = Number(process.env.STEPS ?? 3);

it('wasm training step, small ResNet, 32 px, batch 128', async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  registerWasmConv2dFilterGrad();
  const selection = process.env.KERNELS ?? 'custom';
  defineAllCustomKernels();
  const customKernels = selectKernels(
    selection === 'custom' || selection === 'stock' ? selection : (selection.split(',') as KernelSelection),
    'wasm',
  );
  const config: TrainConfig = {
    ...DEFAULT_TRAIN_CONFIG,
    encoder: 'resnet-small',
    widthMultiplier: 1,
    imageSize: SIZE,
    batchSize: BATCH,
  };
  // The app's trainer on BATCH images, each step the whole set (the batch uploaded as the app does on wasm).
  const trainer = new Trainer(
    { ...config, optimizer: 'adam', temperature: 0.5, learningRate: 1e-3 },
    syntheticStore(BATCH, SIZE),
    {
      samplerSeed: 1,
      augmentSeed: 2,
    },
  );
  let taken = 0;
  const step = async (): Promise<number> => {
    const { loss } = trainer.step(taken++, 1, false);
    // GPU-to-CPU sync (here wasm): each step is waited for.
    const value = (await loss.data())[0]!;
    loss.dispose();
    return value;
  };
  await step(); // warm-up: XNNPACK operators are created on first use
  const t0 = performance.now();
  let loss = 0;
  for (let i = 0; i < STEPS; i++) loss = await step();
  const seconds = (performance.now() - t0) / 1000;
  const profile = await tf.profile(() => step());
  const byKernel = new Map<string, number>();
  for (const k of profile.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (k.kernelTimeMs as number));
  const total = [...byKernel.values()].reduce((a, b) => a + b, 0);
  const top = [...byKernel.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12);
  console.log(
    JSON.stringify({
      metric: 'cpu.views_per_s',
      value: Number(((2 * BATCH * STEPS) / seconds).toFixed(1)),
      unit: 'views/s',
      where: 'node wasm (1 thread)',
      customKernels,
      steps: STEPS,
      secondsPerStep: Number((seconds / STEPS).toFixed(2)),
      loss,
      kernelsPerStep: profile.kernels.length,
      batch: BATCH,
      peakMB: Math.round(profile.peakBytes / 2 ** 20),
    }),
  );
  console.log(`profiled step: ${total.toFixed(0)} ms in kernels`);
  for (const [name, ms] of top)
    console.log(`  ${name.padEnd(28)} ${ms.toFixed(0).padStart(7)} ms  ${((100 * ms) / total).toFixed(1)}%`);
  trainer.dispose();
});
