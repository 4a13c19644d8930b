import { test } from '@playwright/test';
import { PROFILE } from './report';
import { openTrainBenchPage, stripPage } from './train/bench-page';
import { cpuCase, type SpeedProfile, trainCases } from './train/cases';
import { reportTrainFigures, type WebGpuCaseFigures } from './train/figures';
import { findTorchPython, type PytorchCase, type PytorchRun, runPytorch } from './train/pytorch';

/**
 * train.* and cpu.*: training speed of the app's real SimCLR step (issue #7), in one page run:
 * - WebGPU with our custom kernels and with stock tfjs kernels, side by side, for each case (views/s,
 *   warm-up, kernels per step, peak GPU bytes, speedup);
 * - the small ResNet on the wasm backend, set up as the app's worker sets it up (cpu.views_per_s);
 * - the same step in PyTorch when a Python with torch is installed (train/cpu.ratio_vs_pytorch).
 * quick: the three kinds shrunk, for a 2-core machine on SwiftShader; full: the shapes, for a GPU.
 * The same engine code runs in Node on Dawn: `npm run bench:node` (train/node-runner.ts).
 */
const SPEED_PROFILE: SpeedProfile = PROFILE === 'full' ? 'full' : 'quick';
const NOTE =
  SPEED_PROFILE === 'full'
    ? 'full profile'
    : 'quick profile: shrunk shapes (width, batch, px); WebGPU here may be SwiftShader (CPU), not the GPU target';

test('train: views/s with our kernels vs stock, wasm, and PyTorch', async ({ page }) => {
  test.skip(PROFILE === 'quality', 'quality profile runs only the quality bench');
  test.setTimeout(1_800_000);
  await openTrainBenchPage(page);

  const cases = trainCases(SPEED_PROFILE);
  const webgpu: WebGpuCaseFigures[] = [];
  let adapter = '';
  for (const c of cases) {
    // custom first, then stock; tfjs's pipeline cache is emptied before each, so both warm-ups compile
    const custom = await page.evaluate(([cc, k]) => window.runTrainCase('webgpu', cc, k), [c, 'custom'] as const);
    const stock = await page.evaluate(([cc, k]) => window.runTrainCase('webgpu', cc, k), [c, 'stock'] as const);
    adapter = custom.backendReason;
    webgpu.push({ case: c, custom: stripPage(custom), stock: stripPage(stock) });
  }

  const small = cpuCase(SPEED_PROFILE);
  const wasm = await page.evaluate(([cc, k]) => window.runTrainCase('wasm', cc, k), [small, 'custom'] as const);

  const python = findTorchPython();
  let pytorch: PytorchRun | { missing: string } = 'missing' in python ? python : { missing: '' };
  if ('python' in python) {
    const requests: PytorchCase[] = [
      ...cases.map((c) => ({ ...c, device: 'auto' as const })),
      { ...small, device: 'cpu' as const },
    ];
    pytorch = runPytorch(python.python, requests);
  }

  reportTrainFigures({
    runtime: 'chromium',
    adapter,
    note: NOTE,
    webgpu,
    cpu: {
      case: small,
      result: stripPage(wasm),
      extra: {
        wasm_simd: wasm.wasmSimd,
        wasm_threads: wasm.wasmThreads,
        cross_origin_isolated: wasm.crossOriginIsolated,
        wasm_backend: wasm.backendReason,
      },
    },
    pytorch,
  });
});
