import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { drawViewParams } from '../../src/core/augment/params';
import { defineAllCustomKernels, selectKernels } from '../../src/core/kernels';
import { defineCustomKernel } from '../../src/core/kernels/registry';
import { planFilterGrad } from '../../src/core/kernels/webgpu/conv2d-filter-grad';
import { convGradTuning } from '../../src/core/kernels/webgpu/conv2d-filter-grad-programs';
import {
  type ConvGeometry,
  conv2dFilterGradReference,
  conv2dInputGradReference,
} from '../../src/core/kernels/webgpu/conv2d-grad-reference';
import { createOptimizer } from '../../src/core/optim/optimizers';
import { Rng } from '../../src/core/random/rng';
import { buildSimclrModel } from '../../src/core/train/simclr-model';
import { trainStep } from '../../src/core/train/train-step';
import { DEFAULT_TRAIN_CONFIG, SIMCLR_IMAGENET_AUGMENT, type TrainConfig } from '../../src/protocol/config';
import { conv2dInputGradKernel } from './kernels/conv2d-input-grad';

/** Only this file's kernels, so the comparisons do not depend on other custom kernels. */
const OURS = ['conv2d-filter-grad', 'conv2d-input-grad'];

type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
interface Case {
  name: string;
  x: [number, number, number, number];
  /** [KH, KW, Cin, Cout]; Cin must match x. */
  filter: [number, number, number, number];
  stride: number;
  pad: Pad;
}

const CASES: Case[] = [
  { name: 'CIFAR stem 3x3 s1 same, Cin 3', x: [2, 9, 9, 3], filter: [3, 3, 3, 8], stride: 1, pad: 'same' },
  { name: '3x3 s2 valid, odd sizes, Cin 5 Cout 7', x: [3, 11, 10, 5], filter: [3, 3, 5, 7], stride: 2, pad: 'valid' },
  { name: '1x1 s2 same shortcut', x: [2, 8, 8, 16], filter: [1, 1, 16, 32], stride: 2, pad: 'same' },
  {
    name: 'ImageNet stem 7x7 s2 explicit pad 3',
    x: [2, 17, 17, 3],
    filter: [7, 7, 3, 16],
    stride: 2,
    pad: [
      [0, 0],
      [3, 3],
      [3, 3],
      [0, 0],
    ],
  },
  { name: '3x3 s2 numeric pad 1, Cin 8 Cout 12', x: [2, 7, 7, 8], filter: [3, 3, 8, 12], stride: 2, pad: 1 },
  { name: '3x3 s1 same, vec4 x, scalar dy (Cout 6)', x: [2, 6, 6, 4], filter: [3, 3, 4, 6], stride: 1, pad: 'same' },
  {
    name: '3x3 s1 same 64 -> 64 (several tiles, vec4)',
    x: [4, 8, 8, 64],
    filter: [3, 3, 64, 64],
    stride: 1,
    pad: 'same',
  },
  { name: 'long reduction (split-K)', x: [16, 16, 16, 8], filter: [3, 3, 8, 8], stride: 1, pad: 'same' },
  { name: 'ragged tiles, Cin 130 Cout 70', x: [2, 5, 5, 130], filter: [3, 3, 130, 70], stride: 1, pad: 'same' },
  { name: '1x1 s1 valid, tiny', x: [1, 1, 1, 1], filter: [1, 1, 1, 1], stride: 1, pad: 'valid' },
];

/** Every case with both tile sizes of the programs (32 is the default, 64 the alternative for GPUs). */
const TILED_CASES = ([32, 64] as const).flatMap((tile) => CASES.map((c, i) => [i, { ...c, tile }] as const));

function random(shape: number[], seed: number): tf.Tensor {
  const rng = new Rng(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => rng.uniform(-1, 1)),
    shape,
  );
}

function filterGrad(x: tf.Tensor, dy: tf.Tensor, c: Case): tf.Tensor {
  const attrs = { strides: [c.stride, c.stride], pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter };
  return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}

function inputGrad(dy: tf.Tensor, w: tf.Tensor, c: Case): tf.Tensor {
  const attrs = { strides: [c.stride, c.stride], pad: c.pad, dataFormat: 'NHWC', inputShape: c.x };
  return tf
    .engine()
    .runKernel('Conv2DBackpropInput', { dy, filter: w }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}

function geometry(c: Case): ConvGeometry {
  const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, [c.stride, c.stride], 1, c.pad);
  return {
    xShape: c.x,
    filterShape: c.filter,
    dyShape: [c.x[0], info.outHeight, info.outWidth, c.filter[3]],
    strides: [c.stride, c.stride],
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/** Largest |a - b| relative to the largest |b| (so near-zero entries do not dominate). */
function relativeError(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let scale = 1e-6;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / scale;
}

/**
 * Fills the GPU buffer pool's next buffer of that shape with NaN, so an output element a kernel never
 * writes shows up (otherwise it may inherit the stock result just computed into a recycled buffer).
 */
async function poisonPool(shape: readonly number[]): Promise<void> {
  const poison = tf.add(tf.fill([...shape], Number.NaN), 0);
  await poison.data(); // GPU-to-CPU sync: the NaNs are written before the buffer is reused
  poison.dispose();
}

async function values(t: tf.Tensor): Promise<Float32Array> {
  const v = (await t.data()) as Float32Array; // GPU-to-CPU sync (test read-back)
  t.dispose();
  return v;
}

describe('conv2d filter gradient kernel (Dawn)', () => {
  beforeAll(() => {
    defineAllCustomKernels();
    // not among the app's kernels (slower than stock here); defined for measuring and testing
    defineCustomKernel(conv2dInputGradKernel);
  });
  afterEach(() => {
    selectKernels('stock', 'webgpu');
    convGradTuning.tile = 32;
  });

  it('plans split-K only for long reductions and keeps tiles near the GEMM shape', () => {
    expect(planFilterGrad(27, 64, 16 * 32 * 32)).toMatchObject({ tile: 32 });
    const layer4 = planFilterGrad(4608, 512, 64 * 4 * 4);
    expect(layer4).toMatchObject({ tile: 32, splits: 1 });
    const layer1 = planFilterGrad(576, 64, 64 * 32 * 32);
    expect(layer1.splits).toBeGreaterThan(1);
    expect(layer1.splits * layer1.kPerSplit).toBeGreaterThanOrEqual(64 * 32 * 32);
    expect((layer1.splits - 1) * layer1.kPerSplit).toBeLessThan(64 * 32 * 32);
  });

  for (const [i, c] of TILED_CASES) {
    it(`matches the TypeScript reference and the stock kernel: ${c.name}, ${c.tile}-tiles`, async () => {
      convGradTuning.tile = c.tile;
      const g = geometry(c);
      const x = random(c.x, 10 + i);
      const dy = random([...g.dyShape], 100 + i);
      const reference = conv2dFilterGradReference(
        (await x.data()) as Float32Array,
        (await dy.data()) as Float32Array,
        g,
      );
      selectKernels('stock', 'webgpu');
      const stock = await values(filterGrad(x, dy, c));
      expect(selectKernels(OURS, 'webgpu')).toContain('conv2d-filter-grad');
      await poisonPool(c.filter);
      const ours = await values(filterGrad(x, dy, c));
      x.dispose();
      dy.dispose();
      expect(ours.length).toBe(reference.length);
      expect(relativeError(stock, reference)).toBeLessThan(1e-5);
      expect(relativeError(ours, reference)).toBeLessThan(1e-5);
      expect(relativeError(ours, stock)).toBeLessThan(1e-5);
    });
  }

  for (const [i, c] of TILED_CASES) {
    it(`input gradient matches the TypeScript reference and the stock kernel: ${c.name}, ${c.tile}-tiles`, async () => {
      convGradTuning.tile = c.tile;
      const g = geometry(c);
      const dy = random([...g.dyShape], 200 + i);
      const w = random(c.filter, 300 + i);
      const reference = conv2dInputGradReference(
        (await dy.data()) as Float32Array,
        (await w.data()) as Float32Array,
        g,
      );
      selectKernels('stock', 'webgpu');
      const stock = await values(inputGrad(dy, w, c));
      expect(selectKernels(OURS, 'webgpu')).toContain('conv2d-input-grad');
      await poisonPool(c.x);
      const run = vi.spyOn(tf.backend() as WebGPUBackend, 'runWebGPUProgram');
      const ours = await values(inputGrad(dy, w, c));
      // ours at stride 2; at stride 1 the program stock runs
      const key = run.mock.calls[0]![0].shaderKey;
      run.mockRestore();
      expect(key.startsWith(c.stride > 1 ? 'simclrConv2DInputGrad' : 'conv2DDerInput')).toBe(true);
      tf.dispose([dy, w]);
      expect(ours.length).toBe(reference.length);
      expect(relativeError(stock, reference)).toBeLessThan(1e-5);
      expect(relativeError(ours, reference)).toBeLessThan(1e-5);
    });
  }

  it('serves the gradients of tf.layers conv2d (fused conv2d gradient -> Conv2DBackpropFilter)', async () => {
    const backend = tf.backend() as WebGPUBackend;
    const conv = tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', useBias: true });
    const input = random([2, 9, 9, 4], 3);
    conv.apply(input);
    const grad = async () => {
      const { grads } = tf.variableGrads(
        () => tf.sum(tf.square(conv.apply(input) as tf.Tensor)) as tf.Scalar,
        [conv.trainableWeights[0]!.read() as tf.Variable],
      );
      const g = Object.values(grads)[0]!;
      for (const other of Object.values(grads)) if (other !== g) other.dispose();
      return values(g);
    };
    const run = vi.spyOn(backend, 'runWebGPUProgram');
    const programsRun = () => run.mock.calls.map(([program]) => program.shaderKey);

    selectKernels('stock', 'webgpu');
    const stock = await grad();
    expect(programsRun().some((k) => k.startsWith('conv2DDerFilter'))).toBe(true);
    expect(programsRun().some((k) => k.startsWith('simclrConv2DFilterGrad'))).toBe(false);
    run.mockClear();

    selectKernels(OURS, 'webgpu');
    const ours = await grad();
    expect(programsRun().some((k) => k.startsWith('simclrConv2DFilterGrad'))).toBe(true);
    expect(programsRun().some((k) => k.startsWith('conv2DDerFilter'))).toBe(false);
    run.mockRestore();

    expect(ours.length).toBe(3 * 3 * 4 * 8);
    expect(relativeError(ours, stock)).toBeLessThan(1e-5);
    input.dispose();
    conv.dispose();
  });

  it('gives the same SimCLR training steps with our kernels on and off (small ResNet)', async () => {
    const config: TrainConfig = {
      ...DEFAULT_TRAIN_CONFIG,
      encoder: 'resnet-small',
      widthMultiplier: 1 / 8,
      imageSize: 16,
      batchSize: 4,
      projectionHidden: 16,
      projectionDim: 8,
      augment: SIMCLR_IMAGENET_AUGMENT,
    };
    const model = buildSimclrModel(config);
    const layers = [...model.encoder.layers, ...model.head.layers];
    const initial = layers.map((l) => l.getWeights().map((w) => w.clone()));
    const images = tf.tensor4d(
      Int32Array.from({ length: 4 * 20 * 20 * 3 }, (_, i) => (i * 37) % 256),
      [4, 20, 20, 3],
      'int32',
    );
    const run = async (selection: 'stock' | 'custom'): Promise<number[]> => {
      selectKernels(selection === 'custom' ? OURS : 'stock', 'webgpu');
      layers.forEach((l, i) => {
        l.setWeights(initial[i]!);
      });
      const optimizer = createOptimizer(config.optimizer, model.params, { weightDecay: config.weightDecay });
      const rng = new Rng(5);
      const losses: number[] = [];
      for (let step = 0; step < 3; step++) {
        const views = drawViewParams(rng, 2 * config.batchSize, 20, config.augment);
        const { loss } = trainStep(
          model,
          optimizer,
          { images, views, viewSize: config.imageSize, temperature: 0.5, learningRate: 0.05 },
          false,
        );
        losses.push((await values(loss))[0]!);
      }
      optimizer.dispose();
      return losses;
    };
    const stock = await run('stock');
    const ours = await run('custom');
    expect(stock.every(Number.isFinite)).toBe(true);
    // the updates depend on the filter gradients: a wrong kernel moves the second and third losses
    expect(stock[2]).not.toBeCloseTo(stock[0]!, 3);
    for (let i = 0; i < 3; i++) expect(Math.abs(ours[i]! - stock[i]!)).toBeLessThan(1e-3 * Math.abs(stock[i]!));
    images.dispose();
    for (const ws of initial) for (const w of ws) w.dispose();
    model.dispose();
    // SwiftShader compiles every pipeline of two full training steps: minutes on a busy 2-core machine
  }, 400_000);
});
