import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawViewParams } from '../augment/params';
import { defineAllCustomKernels, enabledCustomKernels, registerWasmConvGradients, selectKernels } from '../kernels';
import { Rng } from '../random/rng';
import { randomPixels, tinyConfig, tinyModel } from '../train/test-fixtures';
import { trainStep } from '../train/train-step';

// SimCLR steps of the small ResNet on wasm with the BatchNorm+ReLU op in tfjs ops ('batchnorm-relu-ops')
// switched on and off: same losses and moving statistics, and the stock BatchNorm kernel really goes away.
//
// The op's statistics are column-sum matMuls, 7-10x closer to float64 than stock's tf.mean
// (batchnorm-stats-accuracy.test.ts), so the two differ in the last float32 bits (first loss 1.2e-7 relative).
// Plain SGD keeps that difference there over the steps (BatchNorm weights within 6e-7 after 5 steps, measured),
// so the weights are compared tightly under SGD. Adam at lr 0.01 turns a near-zero gradient into a step of
// about +-lr whatever its size, so the same last-bit difference grows to ~3e-3 in gamma/beta and 1.4e-3 in the
// loss after 5 steps (with tf.mean, stock's own reduction, the drift was already 1.8e-4 in beta): under Adam
// only the first loss is compared tightly and the later ones loosely.

const config = tinyConfig({ widthMultiplier: 1 / 8, imageSize: 16 });

interface RunResult {
  losses: number[];
  /** Every BatchNormalization layer's weights (gamma, beta, moving mean, moving variance), flattened. */
  batchNormWeights: Float32Array[];
  kernelNames: Set<string>;
}

async function train(steps: number, optimizerName: 'adam' | 'sgd'): Promise<RunResult> {
  const { model, optimizer } = tinyModel(config, optimizerName, 1e-4);
  const images = randomPixels(4, 16, new Rng(1));
  const viewRng = new Rng(2);
  const step = () => {
    const views = drawViewParams(viewRng, 8, 16, config.augment);
    return trainStep(model, optimizer, { images, views, viewSize: 16, temperature: 0.5, learningRate: 0.01 }, false)
      .loss;
  };
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const loss = step();
    losses.push((await loss.data())[0]!);
    loss.dispose();
  }
  const profile = await tf.profile(() => step().dispose());
  const layers = [...model.encoder.layers, ...model.head.layers].filter(
    (layer) => layer.getClassName() === 'BatchNormalization',
  );
  expect(layers.length).toBeGreaterThan(4);
  const batchNormWeights = layers.flatMap((layer) => layer.getWeights().map((w) => w.dataSync() as Float32Array));
  images.dispose();
  optimizer.dispose();
  model.dispose();
  return { losses, batchNormWeights, kernelNames: new Set(profile.kernels.map((k) => k.name)) };
}

describe('BatchNorm+ReLU in ops in SimCLR training on wasm', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    await registerWasmConvGradients();
    defineAllCustomKernels();
  });
  afterAll(async () => {
    selectKernels('stock', 'wasm');
    await tf.setBackend('cpu');
  });

  it('gives the losses and BatchNorm weights of the stock layers, without their kernels', async () => {
    const before = tf.memory().numTensors;
    const runs: Record<'on' | 'off', Record<'adam' | 'sgd', RunResult>> = { on: {} as never, off: {} as never };
    for (const optimizerName of ['adam', 'sgd'] as const) {
      expect(selectKernels('custom', 'wasm')).toContain('batchnorm-relu-ops');
      runs.on[optimizerName] = await train(4, optimizerName);
      expect(tf.memory().numTensors).toBe(before);
      expect(selectKernels('stock', 'wasm')).toEqual([]);
      expect(enabledCustomKernels()).toEqual([]);
      runs.off[optimizerName] = await train(4, optimizerName);
    }
    const { on, off } = runs;

    expect(off.adam.kernelNames.has('FusedBatchNorm')).toBe(true);
    expect(on.adam.kernelNames.has('FusedBatchNorm')).toBe(false);
    expect(on.adam.kernelNames.has('Tile')).toBe(false);
    for (const run of [on.adam, on.sgd]) {
      expect(run.losses.every(Number.isFinite)).toBe(true);
      expect(run.losses[3]!).not.toBe(run.losses[0]!);
    }
    const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
    expect(relative(on.adam.losses[0]!, off.adam.losses[0]!)).toBeLessThan(1e-6);
    for (let i = 1; i < on.adam.losses.length; i++) {
      expect(relative(on.adam.losses[i]!, off.adam.losses[i]!)).toBeLessThan(2e-3);
    }
    for (let i = 0; i < on.sgd.losses.length; i++) {
      expect(relative(on.sgd.losses[i]!, off.sgd.losses[i]!)).toBeLessThan(1e-5);
    }
    expect(on.sgd.batchNormWeights.length).toBe(off.sgd.batchNormWeights.length);
    for (let i = 0; i < on.sgd.batchNormWeights.length; i++) {
      const [a, b] = [on.sgd.batchNormWeights[i]!, off.sgd.batchNormWeights[i]!];
      expect(a.length).toBe(b.length);
      let worst = 0;
      let scale = 0;
      for (let j = 0; j < a.length; j++) {
        worst = Math.max(worst, Math.abs(a[j]! - b[j]!));
        scale = Math.max(scale, Math.abs(b[j]!));
      }
      expect(worst).toBeLessThan(1e-5 * Math.max(1, scale));
    }
  });
});
