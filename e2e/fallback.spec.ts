import { chromium } from '@playwright/test';
import { TINY_RUN } from './pages/TrainPanel';
import { App, expect, test } from './support/app';
import { backendOptions } from './support/backend-options';
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
      // WebGPU asked for, as the app did by default before it compared the backends: the fallback chain.
      await app.open('?backend=webgpu');
      const { data, train } = app;
      expect(await page.evaluate(async () => !!(await navigator.gpu?.requestAdapter()))).toBe(false);

      await test.step('the page is usable and names the fallback', async () => {
        await expect(page.getByRole('button', { name: 'Choose folder', exact: true })).toBeVisible();
        await train.expectBackend(/^(webgl|wasm|cpu)$/);
        expect(await train.backendName()).not.toBe('cpu');
        expect(await train.backendReason(), 'backend-status gives a reason').toMatch(/[a-z]{3,}/i);
        const status = (await train.backendStatus.textContent()) ?? '';
        test.info().annotations.push({ type: 'backend-status', description: status });
        // It says why WebGPU did not run, and claims nothing about speed that it did not measure.
        expect(await train.backendReason()).toMatch(/WebGPU unavailable: .*Using (WebGL|WebAssembly)/);
        expect(status).not.toMatch(/slower|faster/);
        expect(await train.backendSource()).toBe('url');
        await expect(page.getByTestId('backend-choice')).toContainText(
          /^The address asks for \?backend=webgpu, which did not start .* runs instead, not compared with the others\.$/,
        );
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

// No `?backend=` and no WebGPU: the comparison (worker/backend-comparison.ts) must still time WebGL beside
// wasm and pick the faster; backend-choice.spec.ts covers the comparison only where WebGPU starts.
test('without WebGPU the comparison times WebGL and wasm and picks the faster', async () => {
  test.setTimeout(480_000);
  const browser = await chromium.launch({ executablePath: findChromium(), args: [...NO_WEBGPU_ARGS] });
  try {
    const page = await (await browser.newContext({ baseURL: BASE_URL })).newPage();
    const app = new App(page);
    try {
      await app.open('');
      const { train } = app;
      await expect.poll(() => train.backendSource(), { timeout: 300_000 }).toBe('measured');
      const text = (await page.getByTestId('backend-choice').textContent()) ?? '';
      test.info().annotations.push({ type: 'backend-choice', description: text });
      expect(text).toMatch(/WebGPU: failed to start/);
      expect(text).toMatch(/\bWebGL [\d.]+ m?s\b/);
      expect(text).toMatch(/\bwasm [\d.]+ m?s\b/);
      const measured = (await backendOptions(page)).filter((o) => o.seconds !== null);
      expect(measured.map((o) => o.value).sort()).toEqual(['wasm', 'webgl']);
      const fastest = measured.reduce((a, b) => ((b.seconds ?? 0) < (a.seconds ?? 0) ? b : a));
      expect(await train.backendName()).toBe(fastest.value);
    } finally {
      await app.attachProblems(test.info());
    }
  } finally {
    await browser.close();
  }
});
