import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { augmentViews } from '../augment/augment-views';
import { drawViewParams } from '../augment/params';
import { registerWasmConvGradients } from '../kernels';
import { Rng } from '../random/rng';
import { randomPixels, tinyConfig, tinyModel } from '../train/test-fixtures';
import { pairedSourceIndex, trainStep } from '../train/train-step';

const config = tinyConfig({ imageSize: 16 });

/** The wasm backend has no Conv2DBackpropFilter kernel; with the gradient in ops, a SimCLR step trains on it. */
describe('training on the wasm backend', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    await registerWasmConvGradients();
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('runs SimCLR steps with finite, falling loss', () => {
    expect(tf.getBackend()).toBe('wasm');
    const { model, optimizer } = tinyModel(config, 'adam', 0);
    const images = randomPixels(4, 16, new Rng(1));
    const views = drawViewParams(new Rng(2), 8, 16, config.augment);
    const losses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const { loss } = trainStep(
        model,
        optimizer,
        { images, views, viewSize: 16, temperature: 0.5, learningRate: 0.01 },
        false,
      );
      losses.push(loss.dataSync()[0]!);
      loss.dispose();
    }
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[5]!).toBeLessThan(losses[0]!);
    images.dispose();
    optimizer.dispose();
    model.dispose();
  });

  it('makes the same views as the CPU backend (64 views of 28 px)', async () => {
    const rng = new Rng(5);
    const bytes = Float32Array.from({ length: 32 * 28 * 28 * 3 }, () => rng.next());
    const views = drawViewParams(new Rng(6), 64, 28, config.augment);
    const onWasm = tf.tidy(() => augmentViews(tf.tensor4d(bytes, [32, 28, 28, 3]), pairedSourceIndex(32), views, 28));
    const wasmValues = await onWasm.data();
    onWasm.dispose();
    await tf.setBackend('cpu');
    const onCpu = tf.tidy(() => augmentViews(tf.tensor4d(bytes, [32, 28, 28, 3]), pairedSourceIndex(32), views, 28));
    const cpuValues = await onCpu.data();
    onCpu.dispose();
    await tf.setBackend('wasm');
    let maxDiff = 0;
    for (let i = 0; i < cpuValues.length; i++) maxDiff = Math.max(maxDiff, Math.abs(cpuValues[i]! - wasmValues[i]!));
    expect(maxDiff).toBeLessThan(1e-4);
  });
});
