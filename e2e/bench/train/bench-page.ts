import { execFileSync } from 'node:child_process';
import { expect, type Page } from '@playwright/test';
import type { PageCaseResult } from './case-result';
import type { CaseResult } from './engine';

/** Builds the training-speed bench page and opens it, with its console errors in the output. */
export async function openTrainBenchPage(page: Page): Promise<void> {
  execFileSync('npx', ['vite', 'build', '-c', 'e2e/bench/train/vite.config.ts'], { stdio: 'inherit' });
  page.on('console', (message) => {
    if (message.type() === 'error') console.log(`[train page] ${message.text()}`);
  });
  await page.goto('/bench-train/index.html');
  await expect(page.locator('#status')).toHaveText('ready', { timeout: 60_000 });
}

/** A page case's result without the page's own facts (backend reason, wasm SIMD and threads). */
export function stripPage(r: PageCaseResult): CaseResult {
  const {
    backendReason: _reason,
    wasmSimd: _simd,
    wasmThreads: _threads,
    wasmThreadCount: _count,
    ownKernelThreads: _ownThreads,
    ownKernelHelpedShare: _helped,
    ownKernelHelpers: _helpers,
    ranIn: _ranIn,
    webglRenderer: _renderer,
    crossOriginIsolated: _coi,
    ...rest
  } = r;
  return rest;
}
