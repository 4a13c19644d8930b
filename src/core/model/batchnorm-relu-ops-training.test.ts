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

const config = tinyConfig({ widthMultiplier: 1 / 8, imageSize: 16 });

interface RunResult {
  losses: number[];
  /** Every BatchNormalization layer's weights (gamma, beta, moving mean, moving variance), flattened. */
  batchNormWeights: Float32Array[];
  kernelNames: Set<string>;
}

async function train(steps: number): Promise<RunResult> {
  const { model, optimizer } = tinyModel(config, 'adam', 1e-4);
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
    registerWasmConvGradients();
    defineAllCustomKernels();
  });
  afterAll(async () => {
    selectKernels('stock', 'wasm');
    await tf.setBackend('cpu');
  });

  it('gives the losses and BatchNorm weights of the stock layers, without their kernels', async () => {
    expect(selectKernels('custom', 'wasm')).toContain('batchnorm-relu-ops');
    const before = tf.memory().numTensors;
    const on = await train(4);
    expect(tf.memory().numTensors).toBe(before);
    expect(selectKernels('stock', 'wasm')).toEqual([]);
    expect(enabledCustomKernels()).toEqual([]);
    const off = await train(4);

    expect(off.kernelNames.has('FusedBatchNorm')).toBe(true);
    expect(on.kernelNames.has('FusedBatchNorm')).toBe(false);
    expect(on.kernelNames.has('Tile')).toBe(false);
    expect(on.losses.every(Number.isFinite)).toBe(true);
    expect(on.losses[3]!).not.toBe(on.losses[0]!);
    for (let i = 0; i < on.losses.length; i++) {
      expect(Math.abs(on.losses[i]! - off.losses[i]!)).toBeLessThan(2e-3 * Math.abs(off.losses[i]!));
    }
    expect(on.batchNormWeights.length).toBe(off.batchNormWeights.length);
    for (let i = 0; i < on.batchNormWeights.length; i++) {
      const [a, b] = [on.batchNormWeights[i]!, off.batchNormWeights[i]!];
      expect(a.length).toBe(b.length);
      let worst = 0;
      let scale = 0;
      for (let j = 0; j < a.length; j++) {
        worst = Math.max(worst, Math.abs(a[j]! - b[j]!));
        scale = Math.max(scale, Math.abs(b[j]!));
      }
      expect(worst).toBeLessThan(1e-3 * Math.max(1, scale));
    }
  });
});
