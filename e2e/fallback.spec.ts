import { chromium } from '@playwright/test';
import { TINY_RUN } from './pages/TrainPanel';
import { App, expect, test } from './support/app';
import { BASE_URL, NO_WEBGPU_ARGS } from './support/browser';
import { findChromium } from './support/find-chromium.mjs';
import { SHAPES_DIR, SHAPES_PNG_COUNT } from './support/fixtures';

// Its own browser, launched without WebGPU (see support/browser.ts for how that was verified).
test('without WebGPU the app says which fallback it uses and why, and still trains', async () => {
  const browser = await chromium.launch({ executablePath: findChromium(), args: [...NO_WEBGPU_ARGS] });
  try {
    const context = await browser.newContext({ baseURL: BASE_URL });
    const page = await context.newPage();
    const app = new App(page);
    try {
      await app.open();
      const { data, train } = app;
      expect(await page.evaluate(async () => !!(await navigator.gpu?.requestAdapter()))).toBe(false);

      await test.step('the page is usable and names the fallback', async () => {
        await expect(page.getByRole('button', { name: 'Choose folder', exact: true })).toBeVisible();
        await train.expectBackend(/^(webgl|wasm|cpu)$/);
        expect(await train.backendName()).not.toBe('cpu');
        expect(await train.backendReason(), 'backend-status gives a reason').toMatch(/[a-z]{3,}/i);
        const status = (await train.backendStatus.textContent()) ?? '';
        test.info().annotations.push({ type: 'backend-status', description: status });
        // With no ?backend= the backends were compared: WebGPU's failure is named, the others' step times given.
        expect(await train.backendSource()).toBe('measured');
        const choice = page.getByTestId('backend-choice');
        await expect(choice).toContainText(/WebGPU: failed to start: /);
        await expect(choice).toContainText(/chosen as the fastest: (WebGL|wasm) [\d.]+ m?s per step/);
        await expect(choice).not.toContainText(/slower/);
      });

      await test.step('a tiny run trains on the fallback', async () => {
        await data.setStoredResolution(16);
        await data.loadFolder(SHAPES_DIR);
        await data.expectCount(SHAPES_PNG_COUNT);
        await train.configure({ ...TINY_RUN, imageSize: 16 });
        await train.startButton.click();
        await train.waitForStep(2);
        expect(await train.backendName()).toMatch(/^(webgl|wasm)$/);
        await train.stopButton.click();
        await train.expectPhase('stopped');
      });
    } finally {
      await app.attachProblems(test.info());
    }
  } finally {
    await browser.close();
  }
});
