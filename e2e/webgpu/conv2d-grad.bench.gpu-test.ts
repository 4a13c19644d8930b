/**
 * Times the conv2d gradient kernels, stock tfjs-webgpu vs ours, on ResNet shapes. Skipped unless
 * CONV_GRAD_BENCH is set (it is slow on SwiftShader):
 *   CONV_GRAD_BENCH=1 CONV_GRAD_BATCHES=16,64 npx vitest run -c e2e/webgpu/vitest.config.ts \
 *     e2e/webgpu/conv2d-grad.bench.gpu-test.ts
 * Optional: CONV_GRAD_ITERATIONS=3 (per timing), CONV_GRAD_ROUNDS=3 (alternating stock/ours, best kept), CONV_GRAD_MODELS=resnet18,small, CONV_GRAD_ONLY=layer4 (name filter),
 * CONV_GRAD_TILE=64 (our programs with 64x64 tiles instead of 32x32).
 * Prints one JSON object per line. On SwiftShader (a CPU emulation) ratios are indicative only.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { defineAllCustomKernels, selectKernels } from '../../src/core/kernels';
import { defineCustomKernel } from '../../src/core/kernels/registry';
import { convGradTuning } from '../../src/core/kernels/webgpu/conv2d-filter-grad-programs';
import type { EncoderName } from '../../src/protocol/config';
import { createStepper, fusedConfig } from './fused-step-fixtures';
import { conv2dInputGradKernel } from './kernels/conv2d-input-grad';

interface Shape {
  name: string;
  /** x [N, H, W, Cin] without N. */
  x: [number, number, number];
  filter: [number, number, number, number];
  stride: number;
  pad: 'same' | 'valid';
}

/** ResNet-18 (CIFAR stem, 32 px): each distinct convolution; stride-2 3x3 convs get explicit zero padding first. */
const RESNET18_32: Shape[] = [
  { name: 'stem 3x3 3->64', x: [32, 32, 3], filter: [3, 3, 3, 64], stride: 1, pad: 'same' },
  { name: 'layer1 3x3 64->64', x: [32, 32, 64], filter: [3, 3, 64, 64], stride: 1, pad: 'same' },
  { name: 'layer2 3x3 s2 64->128', x: [34, 34, 64], filter: [3, 3, 64, 128], stride: 2, pad: 'valid' },
  { name: 'layer2 1x1 s2 64->128', x: [32, 32, 64], filter: [1, 1, 64, 128], stride: 2, pad: 'valid' },
  { name: 'layer2 3x3 128->128', x: [16, 16, 128], filter: [3, 3, 128, 128], stride: 1, pad: 'same' },
  { name: 'layer3 3x3 s2 128->256', x: [18, 18, 128], filter: [3, 3, 128, 256], stride: 2, pad: 'valid' },
  { name: 'layer3 3x3 256->256', x: [8, 8, 256], filter: [3, 3, 256, 256], stride: 1, pad: 'same' },
  { name: 'layer4 3x3 s2 256->512', x: [10, 10, 256], filter: [3, 3, 256, 512], stride: 2, pad: 'valid' },
  { name: 'layer4 3x3 512->512', x: [4, 4, 512], filter: [3, 3, 512, 512], stride: 1, pad: 'same' },
];

/** The small ResNet at width 1/4 (the quick profile's model scale): channels 16..128. */
const SMALL_32: Shape[] = [
  { name: 'small stem 3x3 3->16', x: [32, 32, 3], filter: [3, 3, 3, 16], stride: 1, pad: 'same' },
  { name: 'small layer1 3x3 16->16', x: [32, 32, 16], filter: [3, 3, 16, 16], stride: 1, pad: 'same' },
  { name: 'small layer2 3x3 s2 16->32', x: [34, 34, 16], filter: [3, 3, 16, 32], stride: 2, pad: 'valid' },
  { name: 'small layer4 3x3 128->128', x: [4, 4, 128], filter: [3, 3, 128, 128], stride: 1, pad: 'same' },
];

const ITERATIONS = Number(process.env.CONV_GRAD_ITERATIONS ?? 3);
const ROUNDS = Number(process.env.CONV_GRAD_ROUNDS ?? 3);
const BATCHES = (process.env.CONV_GRAD_BATCHES ?? '16').split(',').map(Number);
const SETS: Record<string, Shape[]> = { resnet18: RESNET18_32, small: SMALL_32 };
const MODELS = (process.env.CONV_GRAD_MODELS ?? 'resnet18,small').split(',');
/** Only convolutions whose name contains this (e.g. 'layer4'). */
const ONLY = process.env.CONV_GRAD_ONLY ?? '';

/** Mean milliseconds of `op` over ITERATIONS runs after one warm-up run (shader compile). */
async function time(op: () => tf.Tensor): Promise<number> {
  const warm = op();
  await warm.data(); // GPU-to-CPU sync: warm-up finished (pipelines compiled)
  warm.dispose();
  const start = performance.now();
  let last: tf.Tensor | null = null;
  for (let i = 0; i < ITERATIONS; i++) {
    last?.dispose();
    last = op();
  }
  await last!.data(); // GPU-to-CPU sync: the queue is in order, so every iteration has finished
  last!.dispose();
  return (performance.now() - start) / ITERATIONS;
}

describe.skipIf(!process.env.CONV_GRAD_BENCH)('conv2d gradient timing, stock vs ours (Dawn)', () => {
  it('prints per-kernel times', async () => {
    defineAllCustomKernels();
    // not among the app's kernels (slower than stock here); defined for measuring and testing
    defineCustomKernel(conv2dInputGradKernel);
    convGradTuning.tile = process.env.CONV_GRAD_TILE === '64' ? 64 : 32;
    for (const model of MODELS) {
      for (const batch of BATCHES) {
        for (const s of (SETS[model] ?? []).filter((c) => c.name.includes(ONLY))) {
          const xShape: [number, number, number, number] = [batch, ...s.x];
          const info = tf.backend_util.computeConv2DInfo(xShape, s.filter, [s.stride, s.stride], 1, s.pad);
          const x = tf.randomUniform(xShape, -1, 1);
          const dy = tf.randomUniform([batch, info.outHeight, info.outWidth, s.filter[3]], -1, 1);
          const w = tf.randomUniform(s.filter, -1, 1);
          const attrs = { strides: [s.stride, s.stride], pad: s.pad, dataFormat: 'NHWC' };
          const filterGrad = () =>
            tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
              ...attrs,
              filterShape: s.filter,
            } as unknown as tf.NamedAttrMap) as tf.Tensor;
          const inputGrad = () =>
            tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, {
              ...attrs,
              inputShape: xShape,
            } as unknown as tf.NamedAttrMap) as tf.Tensor;
          const forward = () => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, s.stride, s.pad);
          // Rounds alternate stock and ours; the fastest round of each counts, since the other engineers'
          // jobs on this shared CPU only ever slow a round down.
          const best = { stockForward: Infinity, stockFilter: Infinity, stockInput: Infinity };
          const ours = { filter: Infinity, input: Infinity };
          for (let round = 0; round < ROUNDS; round++) {
            selectKernels('stock', 'webgpu');
            best.stockForward = Math.min(best.stockForward, await time(forward));
            best.stockFilter = Math.min(best.stockFilter, await time(filterGrad));
            best.stockInput = Math.min(best.stockInput, await time(inputGrad));
            selectKernels(['conv2d-filter-grad', 'conv2d-input-grad'], 'webgpu');
            ours.filter = Math.min(ours.filter, await time(filterGrad));
            ours.input = Math.min(ours.input, await time(inputGrad));
          }
          selectKernels('stock', 'webgpu');
          const { stockForward, stockFilter, stockInput } = best;
          const oursFilter = ours.filter;
          const oursInput = ours.input;
          const config = {
            model,
            batch,
            conv: s.name,
            tile: convGradTuning.tile,
            iterations: ITERATIONS,
            rounds: ROUNDS,
            backend: 'webgpu (Dawn)',
          };
          const line = (metric: string, value: number, unit: string) =>
            console.log(JSON.stringify({ metric, value: Number(value.toFixed(3)), unit, ...config }));
          line('conv2d_filter_grad.stock_ms', stockFilter, 'ms');
          line('conv2d_filter_grad.ours_ms', oursFilter, 'ms');
          line('conv2d_filter_grad.speedup', stockFilter / oursFilter, 'x');
          line('conv2d_input_grad.stock_ms', stockInput, 'ms');
          line('conv2d_input_grad.ours_ms', oursInput, 'ms');
          line('conv2d_input_grad.speedup', stockInput / oursInput, 'x');
          line('conv2d_forward.stock_ms', stockForward, 'ms');
          expect(oursFilter).toBeGreaterThan(0);
          tf.dispose([x, dy, w]);
        }
      }
    }
  }, 900_000);
});

/**
 * Whole SimCLR steps, stock vs our filter gradient (CONV_GRAD_STEP_BENCH=1; CONV_GRAD_STEP_CASE=
 * encoder,width,size,batch, default ResNet-18 at width 1/8, 16 px, batch 4; CONV_GRAD_STEPS timed steps).
 */
describe.skipIf(!process.env.CONV_GRAD_STEP_BENCH)('SimCLR step time, stock vs conv2d-filter-grad (Dawn)', () => {
  it('prints median step times', async () => {
    defineAllCustomKernels();
    const [encoder, width, size, batch] = (process.env.CONV_GRAD_STEP_CASE ?? 'resnet18,0.125,16,4').split(',');
    const steps = Number(process.env.CONV_GRAD_STEPS ?? 3);
    const config = fusedConfig(encoder as EncoderName, Number(size), Number(batch), 'v1', Number(width));
    // steps alternate between the runs, so the shared machine's load weighs on both alike
    const runs = [
      ['stock', createStepper(config, 'stock')],
      ['ours', createStepper(config, ['conv2d-filter-grad'])],
    ] as const;
    try {
      for (let step = 0; step < steps + 1; step++) for (const [, stepper] of runs) await stepper.step(false);
    } finally {
      for (const [, stepper] of runs) stepper.dispose();
    }
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
    const [stock, ours] = runs.map(([, s]) => median(s.run.stepMs.slice(1))); // first step compiles shaders
    const common = { encoder, width: Number(width), size: Number(size), batch: Number(batch), steps };
    console.log(JSON.stringify({ metric: 'train.step_ms.stock', value: Math.round(stock!), unit: 'ms', ...common }));
    console.log(JSON.stringify({ metric: 'train.step_ms.ours', value: Math.round(ours!), unit: 'ms', ...common }));
    console.log(
      JSON.stringify({ metric: 'train.speedup', value: Number((stock! / ours!).toFixed(3)), unit: 'x', ...common }),
    );
    const [stockLosses, oursLosses] = runs.map(([, s]) => s.run.losses);
    for (const [i, loss] of stockLosses!.entries()) expect(Math.abs(oursLosses![i]! - loss) / loss).toBeLessThan(2e-3);
  }, 900_000);
});
