import { execFileSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import type { BackendName } from '../../src/protocol/config';
import { PROFILE } from './report';
import { chunkCases, type SpeedProfile } from './train/cases';
import type { CaseResult } from './train/engine';
import { reportChunkFigures } from './train/figures';
import type { PageCaseResult } from './train/main';

/**
 * train.views_per_s and train.peak_step_bytes of a large batch in chunks (issue #15) beside the chunk's
 * size as a whole batch, on the page the training-speed bench uses (the app's real step, wasm set up as
 * the app's worker sets it up). CHUNK_BENCH_BACKENDS=wasm,webgpu adds WebGPU (SwiftShader here: slow).
 */
const SPEED_PROFILE: SpeedProfile = PROFILE === 'full' ? 'full' : 'quick';
const BACKENDS = (process.env.CHUNK_BENCH_BACKENDS ?? 'wasm').split(',').filter(Boolean) as BackendName[];

function stripPage(r: PageCaseResult): CaseResult {
  const { backendReason: _reason, wasmSimd: _simd, wasmThreads: _threads, crossOriginIsolated: _coi, ...rest } = r;
  return rest;
}

test('train: batch 1,024 in chunks of 64 vs batch 64 whole', async ({ page }) => {
  test.skip(PROFILE === 'quality', 'quality profile runs only the quality bench');
  test.setTimeout(1_800_000);
  execFileSync('npx', ['vite', 'build', '-c', 'e2e/bench/train/vite.config.ts'], { stdio: 'inherit' });
  page.on('console', (message) => {
    if (message.type() === 'error') console.log(`[train page] ${message.text()}`);
  });
  await page.goto('/bench-train/index.html');
  await expect(page.locator('#status')).toHaveText('ready', { timeout: 60_000 });
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
