import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { BASE_URL, WEBGPU_ARGS } from '../support/browser';
import { findChromium } from '../support/find-chromium.mjs';
import { previewCommand } from '../support/test-server';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

// `npm run bench`: builds the app, serves the build, and runs every *.bench.ts here in headless Chromium.
// Each bench prints one JSON object per figure ({metric, value, unit, ...config}); a table follows at the end.
// Figures compared with each other are measured side by side in the same run.
export default defineConfig({
  testDir: '.',
  // BENCH_PROFILE=cpu (npm run bench:cpu) runs only the CPU bench: it takes minutes a case on 2 cores.
  testMatch: process.env.BENCH_PROFILE === 'cpu' ? 'cpu.bench.ts' : '**/*.bench.ts',
  globalSetup: './global-setup.ts',
  globalTeardown: './global-teardown.ts',
  workers: 1,
  retries: 0,
  reporter: 'list',
  timeout: 600_000,
  use: {
    baseURL: BASE_URL,
    launchOptions: { executablePath: findChromium(), args: [...WEBGPU_ARGS] },
  },
  // The quality and fine-tune profiles train in Node and need no page.
  ...(process.env.BENCH_PROFILE === 'quality' || process.env.BENCH_PROFILE === 'fine-tune'
    ? {}
    : {
        webServer: {
          command: previewCommand(),
          // Playwright runs the command in this config's folder; the build is served from the repository root.
          cwd: ROOT,
          url: BASE_URL,
          // Never a server this run did not start: another program may hold a port on a developer's machine.
          reuseExistingServer: false,
          timeout: 120_000,
        },
      }),
});
