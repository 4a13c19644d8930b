import { execFileSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import type { AugmentBenchOptions } from './augment/main';
import { PROFILE, report } from './report';

/**
 * augment.*: the fused WGSL augmentation vs the same augmentation in tf ops, measured side by side in
 * one page on the same backend (WebGPU), plus the share of a training step spent augmenting.
 * quick (this 2-core machine, SwiftShader): tiny shapes and few iterations, so it ends in minutes.
 * full (a machine with a GPU): ResNet-18 at 32 px, batch 256, as the target is stated.
 */
const OPTIONS: Record<'quick' | 'full', AugmentBenchOptions> = {
  quick: {
    images: 256,
    storeSize: 32,
    viewSize: 16,
    batch: 16,
    iterations: 3,
    steps: 2,
    encoder: 'resnet-small',
    width: 0.0625,
  },
  full: {
    images: 10_000,
    storeSize: 64,
    viewSize: 32,
    batch: 256,
    iterations: 50,
    steps: 20,
    encoder: 'resnet18',
    width: 1,
  },
};

test('augment: fused WGSL vs tf ops, and the share of a step', async ({ page }) => {
  test.skip(PROFILE === 'quality', 'quality profile runs only the quality bench');
  test.setTimeout(900_000);
  execFileSync('npx', ['vite', 'build', '-c', 'e2e/bench/augment/vite.config.ts'], { stdio: 'inherit' });
  const options = OPTIONS[PROFILE === 'full' ? 'full' : 'quick'];
  await page.goto('/bench-augment/index.html');
  await expect(page.locator('#status')).toHaveText('ready', { timeout: 60_000 });
  const result = await page.evaluate((o) => window.runAugmentBench(o), options);
  const config = {
    backend: result.backend,
    views_per_batch: 2 * options.batch,
    view_px: options.viewSize,
    store_px: options.storeSize,
    encoder: `${options.encoder} x${options.width}`,
    iterations: options.iterations,
    tfops_includes_upload: false,
    note: PROFILE === 'full' ? 'full profile' : 'quick profile: tiny shapes on SwiftShader (CPU), not the GPU target',
  };
  report({ metric: 'augment.fused_views_per_s', value: result.fusedViewsPerS, unit: 'views/s', ...config });
  report({ metric: 'augment.tfops_views_per_s', value: result.tfopsViewsPerS, unit: 'views/s', ...config });
  report({ metric: 'augment.speedup', value: result.fusedViewsPerS / result.tfopsViewsPerS, unit: 'x', ...config });
  report({
    metric: 'augment.share_of_step',
    value: result.augmentMsPerStep / result.stepMs,
    unit: 'fraction',
    augment_ms: result.augmentMsPerStep,
    step_ms: result.stepMs,
    ...config,
  });
});
