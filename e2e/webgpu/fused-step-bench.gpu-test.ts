import { beforeAll, describe, expect, it } from 'vitest';
import { defineAllCustomKernels } from '../../src/core/kernels/index';
import type { EncoderName } from '../../src/protocol/config';
import { createStepper, fusedConfig } from './fused-step-fixtures';

/**
 * Step time and kernel counts of SimCLR steps with stock tfjs vs our fused BatchNorm+ReLU and NT-Xent,
 * on Dawn. Skipped unless FUSED_BENCH=1 (`npm test` skips it):
 *
 *   FUSED_BENCH=1 npx vitest run -c e2e/webgpu/vitest.config.ts e2e/webgpu/fused-step-bench.gpu-test.ts
 *
 * On SwiftShader (CPU emulation of Vulkan) the times are indicative only: dispatch overhead and
 * arithmetic do not weigh as they do on a GPU. Kernel and dispatch counts are exact. The first step
 * (shader compilation) and the profiled last step are left out of the times.
 */
const enabled = process.env.FUSED_BENCH === '1';
/** Timed steps per selection (besides the first, which compiles shaders, and the profiled last one). */
const steps = Number(process.env.FUSED_BENCH_STEPS ?? 3);

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

describe.skipIf(!enabled)('fused BatchNorm+ReLU / NT-Xent step bench (Dawn)', () => {
  beforeAll(() => defineAllCustomKernels());

  // FUSED_BENCH_CASE=encoder,width,size,batch picks the case. By default ResNet-18's structure (its kernel
  // count does not depend on width or size) at a width and size SwiftShader gets through in ~2.5 minutes.
  const picked = process.env.FUSED_BENCH_CASE?.split(',');
  const cases: Array<[EncoderName, number, number, number]> = picked
    ? [[picked[0] as EncoderName, Number(picked[1]), Number(picked[2]), Number(picked[3])]]
    : [['resnet18', 1 / 8, 16, 4]];
  it.each(cases)('%s width %s at %i px, batch %i', { timeout: 600_000 }, async (encoder, width, size, batch) => {
    const config = fusedConfig(encoder, size, batch, 'v1', width);
    // Steps alternate between the two runs, so machine load (shared CPUs) weighs on both alike.
    const runs = [
      ['stock', createStepper(config, 'stock')],
      ['fused', createStepper(config, ['batchnorm-relu', 'nt-xent'])],
    ] as const;
    try {
      for (let step = 0; step < steps + 2; step++) {
        for (const [, stepper] of runs) await stepper.step(step === steps + 1);
      }
    } finally {
      for (const [, stepper] of runs) stepper.dispose();
    }
    const lines = runs.map(([name, { run }]) => {
      const times = run.stepMs.slice(1, -1);
      return (
        `${name}: ${run.kernels} kernels, ${run.dispatches} dispatches per step; median ${median(times).toFixed(0)} ms/step ` +
        `(${times.map((t) => t.toFixed(0)).join(', ')}); losses ${run.losses.map((l) => l.toFixed(4)).join(', ')}\n` +
        `    most frequent kernels: ${run.kernelNames
          .slice(0, 12)
          .map(([kernel, count]) => `${kernel} ${count}`)
          .join(', ')}`
      );
    });
    const [stock, fused] = [runs[0][1].run, runs[1][1].run];
    lines.push(
      `fused / stock: kernels ${(fused.kernels / stock.kernels).toFixed(2)}, dispatches ${(fused.dispatches / stock.dispatches).toFixed(2)}, ` +
        `median step time ${(median(fused.stepMs.slice(1, -1)) / median(stock.stepMs.slice(1, -1))).toFixed(2)}`,
    );
    console.log(`[fused-step-bench] ${encoder} width ${width}, ${size} px, batch ${batch}\n  ${lines.join('\n  ')}`);
    expect(fused.dispatches).toBeLessThan(stock.dispatches);
    for (const [i, loss] of stock.losses.entries()) expect(Math.abs(fused.losses[i]! - loss) / loss).toBeLessThan(2e-3);
  });
});
