import { expect, test } from '@playwright/test';
import type { BackendName } from '../../src/protocol/config';
import { PROFILE } from './report';
import { openTrainBenchPage } from './train/bench-page';
import { cpuIssueCases } from './train/cases';
import { type CpuRound, reportCpuCase } from './train/cpu-figures';
import { findTorchPython, runPytorch } from './train/pytorch';

/**
 * cpu.* (issue #18): the app's SimCLR step in Chromium without a GPU, on wasm (SIMD and threads, set up as the
 * app's worker sets it up) and on WebGL (SwiftShader here: the CPU emulating a GPU), in rounds interleaved
 * with PyTorch CPU on every core and on one thread. `npm run bench:cpu` (BENCH_PROFILE=cpu); not part of the
 * quick `npm run bench`, since a ResNet-18 step on WebGL/SwiftShader takes tens of seconds on 2 cores.
 * CPU_ROUNDS (default 2), CPU_STEPS (default 3), CPU_CASES=small,r18, CPU_BENCH_BACKENDS=wasm,webgl.
 */
const ROUNDS = Number(process.env.CPU_ROUNDS) || 2;
const BACKENDS = (process.env.CPU_BENCH_BACKENDS ?? 'wasm,webgl').split(',').filter(Boolean) as BackendName[];
const WANTED = (process.env.CPU_CASES ?? 'small,r18').split(',');

test('cpu: wasm and WebGL in Chromium vs PyTorch CPU, the two cases of issue #18', async ({ page }) => {
  test.skip(PROFILE !== 'cpu', 'run with BENCH_PROFILE=cpu (npm run bench:cpu)');
  const python = findTorchPython();
  test.skip('missing' in python, 'missing' in python ? python.missing : '');
  if (!('python' in python)) return;
  test.setTimeout(3_600_000);
  await openTrainBenchPage(page);
  const cases = cpuIssueCases().filter((c) => WANTED.includes(c.encoder === 'resnet18' ? 'r18' : 'small'));

  for (const c of cases) {
    const rounds: CpuRound[] = [];
    let torch = '';
    for (let round = 0; round < ROUNDS; round++) {
      const ours: CpuRound['ours'] = {};
      for (const backend of BACKENDS) {
        const r = await page.evaluate(([b, cc]) => window.runTrainCase(b, cc, 'custom'), [backend, c] as const);
        expect(Number.isFinite(r.lastLoss), `${c.name} ${backend}: finite loss`).toBe(true);
        // Progress as it goes: one case on one backend can take minutes on 2 cores.
        console.log(
          `cpu: ${c.name} round ${round + 1} ${backend}: ${r.viewsPerS.toFixed(2)} views/s, warm-up ${r.warmupS.toFixed(1)} s`,
        );
        if (backend === 'wasm' || backend === 'webgl') ours[backend] = r;
      }
      // PyTorch right after ours, on every core (its default) and on one thread.
      const all = runPytorch(python.python, [{ ...c, device: 'cpu' }]);
      const one = runPytorch(python.python, [{ ...c, device: 'cpu' }], 1);
      const [pytorchAll] = all.results;
      const [pytorchOne] = one.results;
      if (!pytorchAll || !pytorchOne) throw new Error(`${c.name}: PyTorch returned no result`);
      torch = all.torch;
      rounds.push({ ours, pytorchAll, pytorchOne });
    }
    reportCpuCase(
      { runtime: 'chromium', note: 'idle machine wanted: ratios are only as clean as the load' },
      c,
      rounds,
      torch,
    );
  }
});
