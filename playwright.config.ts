import { defineConfig, devices } from '@playwright/test';
import { BASE_URL, WEBGPU_ARGS } from './e2e/support/browser';
import { findChromium } from './e2e/support/find-chromium.mjs';
import { previewCommand } from './e2e/support/test-server';

// `npm run test:e2e` builds first (`vite build`); the tests run against `vite preview` of that build.
// One worker: CI machines here have 2 cores, and SwiftShader (WebGPU emulated on the CPU) needs both.
// No timing assertions anywhere: the timeouts below are only ceilings for a slow software GPU.
export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/global-setup.ts',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  timeout: 240_000,
  expect: { timeout: 20_000 },
  outputDir: 'test-results',
  use: {
    baseURL: BASE_URL,
    acceptDownloads: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 30_000,
    navigationTimeout: 60_000,
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: { executablePath: findChromium(), args: [...WEBGPU_ARGS] },
      },
    },
  ],
  webServer: {
    command: previewCommand(),
    url: BASE_URL,
    // Never a server this run did not start: another program may hold a port on a developer's machine.
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
