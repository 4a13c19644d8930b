import { expect, test } from '@playwright/test';
import type { BackendName } from '../../src/protocol/config';
import { PROFILE } from './report';
import { openTrainBenchPage, stripPage } from './train/bench-page';
import { chunkCases, type SpeedProfile } from './train/cases';
import type { CaseResult } from './train/engine';
import { reportChunkFigures } from './train/figures';

/**
 * train.views_per_s and train.peak_step_bytes of a large batch in chunks (issue #15) beside the chunk's
 * size as a whole batch, on the page the training-speed bench uses (the app's real step, wasm set up as
 * the app's worker sets it up). CHUNK_BENCH_BACKENDS=wasm,webgpu adds WebGPU (SwiftShader here: slow).
 */
const SPEED_PROFILE: SpeedProfile = PROFILE === 'full' ? 'full' : 'quick';
const BACKENDS = (process.env.CHUNK_BENCH_BACKENDS ?? 'wasm').split(',').filter(Boolean) as BackendName[];

test('train: batch 1,024 in chunks of 64 vs batch 64 whole', async ({ page }) => {
  test.skip(PROFILE === 'quality', 'quality profile runs only the quality bench');
  test.setTimeout(1_800_000);
  await openTrainBenchPage(page);
  for (const backend of BACKENDS) {
    const runs: { case: ReturnType<typeof chunkCases>[number]; result: CaseResult }[] = [];
    let extra: Record<string, string | boolean | null> = {};
    for (const c of chunkCases(SPEED_PROFILE)) {
      const r = await page.evaluate(([b, cc]) => window.runTrainCase(b, cc, 'custom'), [backend, c] as const);
      expect(Number.isFinite(r.lastLoss), `${c.name}: finite loss`).toBe(true);
      extra = { wasm_simd: r.wasmSimd, wasm_threads: r.wasmThreads, backend_reason: r.backendReason };
      runs.push({ case: c, result: stripPage(r) });
    }
    reportChunkFigures({ runtime: 'chromium', note: `${SPEED_PROFILE} profile`, ...extra }, runs);
  }
});
