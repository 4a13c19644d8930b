/**
 * Quick before/after figure for the CPU fallback in headless Chromium: the built app, `?backend=wasm`,
 * the 600 sample images, the small ResNet (width 1) at 32 px, batch 128, trained through the real worker.
 * (Batch 128 needs more than the 4 GiB a wasm module can address today; pass a smaller batch.)
 * Reports views/s = 2 x batch x steps / seconds over steps after the first (warm-up) ones, and the backend
 * line (SIMD, threads). Not part of `npm test` or `npm run bench`.
 *
 *   npx vite build --outDir /tmp/app && npx vite preview --outDir /tmp/app --port 4290 --strictPort &
 *   node e2e/bench/cpu/wasm-app.measure.mjs http://localhost:4290 [timedSteps=6] [warmupSteps=2] [batch=128]
 */
import { chromium } from '@playwright/test';

const [base = 'http://localhost:4173', timedArg = '6', warmArg = '2', batchArg = '128'] = process.argv.slice(2);
const timedSteps = Number(timedArg);
const warmupSteps = Number(warmArg);
const BATCH = Number(batchArg);

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error('[pageerror]', e.message));
  await page.goto(`${base}/?backend=wasm`);
  const status = page.getByTestId('backend-status');
  await page.waitForFunction(
    () => /Backend: wasm/.test(document.querySelector('[data-testid="backend-status"]')?.textContent ?? ''),
    null,
    { timeout: 120_000 },
  );
  await page.getByRole('button', { name: 'Use sample images', exact: true }).click();
  await page.getByText('600 images loaded').waitFor({ timeout: 120_000 });
  const field = (label) => page.getByLabel(label, { exact: true });
  await field('Encoder').selectOption('resnet-small');
  await field('Duration unit').selectOption('steps');
  for (const [label, value] of [
    ['Width multiplier', 1],
    ['Image size (px)', 32],
    ['Batch size', BATCH],
    ['Train for', warmupSteps + timedSteps + 100],
    ['Metrics every (steps)', 1],
  ]) {
    // Typed twice (another value first): a field typed by hand is one auto-configuration leaves alone,
    // and typing the value it already shows changes nothing.
    for (const typed of [value + 1, value]) {
      await field(label).fill(String(typed));
      await field(label).blur();
    }
  }
  const settings = {};
  for (const label of ['Encoder', 'Width multiplier', 'Image size (px)', 'Batch size', 'Duration unit', 'Train for']) {
    settings[label] = await field(label).inputValue();
  }
  console.error('[settings]', JSON.stringify(settings));
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  const stepNow = () =>
    page.evaluate(() =>
      Number(document.querySelector('[data-testid="step-counter"]')?.getAttribute('data-step') ?? Number.NaN),
    );
  const progress = setInterval(async () => {
    const state = await page
      .evaluate(() => ({
        phase: document.querySelector('[data-testid="train-phase"]')?.textContent,
        step: document.querySelector('[data-testid="step-counter"]')?.getAttribute('data-step'),
        error: document.querySelector('[data-testid="error-banner"]')?.textContent,
      }))
      .catch(() => null);
    console.error('[progress]', JSON.stringify(state));
  }, 30_000);
  const waitStep = async (n) => {
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid="step-counter"]')?.getAttribute('data-step')) >= n,
      n,
      { timeout: 600_000, polling: 20 },
    );
    return { step: await stepNow(), t: Date.now() };
  };
  const start = await waitStep(warmupSteps);
  const end = await waitStep(warmupSteps + timedSteps);
  const steps = end.step - start.step;
  const seconds = (end.t - start.t) / 1000;
  const viewsPerS = (2 * BATCH * steps) / seconds;
  console.log(
    JSON.stringify({
      metric: 'cpu.views_per_s',
      value: Number(viewsPerS.toFixed(1)),
      unit: 'views/s',
      where: 'chromium worker',
      encoder: 'resnet-small',
      widthMultiplier: 1,
      imageSize: 32,
      batchSize: BATCH,
      steps,
      seconds: Number(seconds.toFixed(2)),
      backend: (await status.textContent())?.trim(),
    }),
  );
  const readouts = await page.evaluate(() =>
    Object.fromEntries(
      ['architecture-summary', 'throughput', 'model-info'].map((id) => [
        id,
        document.querySelector(`[data-testid="${id}"]`)?.textContent?.replace(/\s+/g, ' ').trim(),
      ]),
    ),
  );
  console.error('[readouts]', JSON.stringify(readouts));
  clearInterval(progress);
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
} finally {
  await browser.close();
}
