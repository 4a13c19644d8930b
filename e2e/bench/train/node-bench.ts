/**
 * The Node half of `npm run bench:node` (node-runner.ts sets Dawn up first): every training case on
 * WebGPU with our kernels on and off, and PyTorch beside it when installed, through the same engine.ts
 * and figures.ts as the page bench, then the large-batch pair (batch 1,024 in chunks of 64 vs 64 whole).
 * No wasm figures here (the CPU fallback is a browser path). BENCH_NODE_CASES=chunk runs only the pair,
 * BENCH_NODE_CASES=train only the training cases.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import globalSetup from '../global-setup';
import globalTeardown from '../global-teardown';
import { PROFILE } from '../report';
import { chunkCases, type SpeedProfile, trainCases } from './cases';
import { runTrainCase } from './engine';
import { reportChunkFigures, reportTrainFigures, type WebGpuCaseFigures } from './figures';
import { findTorchPython, type PytorchRun, runPytorch } from './pytorch';

export async function runNodeBench(vulkan: string): Promise<void> {
  if (PROFILE === 'quality')
    throw new Error('bench:node runs the quick or the full profile (BENCH_PROFILE=quick|full)');
  const profile: SpeedProfile = PROFILE === 'full' ? 'full' : 'quick';
  if (!(await tf.setBackend('webgpu'))) throw new Error('WebGPU (Dawn) did not initialize: is libvulkan1 installed?');
  const info = (tf.backend() as WebGPUBackend).adapterInfo as unknown as Record<string, unknown> | undefined;
  const adapter =
    [info?.vendor, info?.architecture, info?.description].filter((s) => typeof s === 'string' && s).join(' ') ||
    'unnamed adapter';
  globalSetup();
  const only = process.env.BENCH_NODE_CASES;
  const runtime = { runtime: 'node-dawn' as const, adapter: `WebGPU (Dawn) on ${adapter}, Vulkan: ${vulkan}` };
  if (only !== 'chunk') await trainFigures(profile, runtime);
  if (only !== 'train') {
    const runs = [];
    for (const c of chunkCases(profile)) {
      console.error(`bench:node: ${c.name}…`);
      runs.push({ case: c, result: await runTrainCase(c, 'custom') });
    }
    reportChunkFigures({ ...runtime, note: `${profile} profile` }, runs);
  }
  globalTeardown();
}

async function trainFigures(profile: SpeedProfile, runtime: { runtime: 'node-dawn'; adapter: string }): Promise<void> {
  const webgpu: WebGpuCaseFigures[] = [];
  for (const c of trainCases(profile)) {
    console.error(`bench:node: ${c.name} (custom kernels, then stock)…`);
    const custom = await runTrainCase(c, 'custom');
    const stock = await runTrainCase(c, 'stock');
    webgpu.push({ case: c, custom, stock });
  }
  const python = findTorchPython();
  const pytorch: PytorchRun | { missing: string } =
    'python' in python
      ? runPytorch(
          python.python,
          webgpu.map(({ case: c }) => ({ ...c, device: 'auto' as const })),
        )
      : python;
  reportTrainFigures({
    ...runtime,
    note:
      profile === 'full'
        ? 'full profile'
        : 'quick profile: shrunk shapes (width, batch, px); WebGPU here may be SwiftShader (CPU), not the GPU target',
    webgpu,
    cpu: null,
    pytorch,
  });
}
