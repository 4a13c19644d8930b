/**
 * The first run a new user makes, timed: the built app opened with no ?backend (so the backend
 * comparison runs), WebGPU enabled (--enable-unsafe-webgpu, as in the tests), a folder loaded through the folder input, ResNet-18
 * width 0.25 at 32 px, batch 256, 20 epochs (fields typed by hand, so auto-configure keeps them and times
 * them). Prints the backend picked and why, the ETA auto-configure showed, the time left shown at step 1
 * and at 10% of the steps, and the time the run really took (Start to the last step). Not part of
 * `npm test` or `npm run bench`; it takes as long as the run.
 *
 *   npx vite build --outDir /tmp/app && npx vite preview --outDir /tmp/app --port 4291 --strictPort &
 *   node e2e/bench/cpu/first-run.measure.mjs http://localhost:4291 /path/to/folder [stopAtFraction=1]
 */
import { chromium } from '@playwright/test';

const [base = 'http://localhost:4173', folder = '/tmp/fmnist2000', stopArg = '1'] = process.argv.slice(2);
const stopAtFraction = Number(stopArg);
const log = (label, value) => console.log(JSON.stringify({ at: new Date().toISOString(), [label]: value }));
const text = (page, id) =>
  page.evaluate((id) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.replace(/\s+/g, ' ').trim(), id);
const attr = (page, id, name) =>
  page.evaluate(([id, name]) => document.querySelector(`[data-testid="${id}"]`)?.getAttribute(name), [id, name]);

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--enable-unsafe-webgpu'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  page.on('pageerror', (e) => console.error('[pageerror]', e.message));
  await page.goto(`${base}/`);
  await page.getByTestId('folder-input').setInputFiles(folder);
  await page.waitForFunction(
    () => /^[\d,]+ images? loaded/.test(document.querySelector('[data-testid="image-count"]')?.textContent ?? ''),
    null,
    { timeout: 600_000 },
  );
  log('loaded', await text(page, 'image-count'));
  const question = page.getByTestId('folder-labels-question');
  if (await question.isVisible()) {
    await question.getByRole('button', { name: 'Yes, use them for evaluation only', exact: true }).click();
  }
  await page.waitForFunction(
    () => document.querySelector('[data-testid="backend-status"]')?.getAttribute('data-source'),
    null,
    { timeout: 900_000 },
  );
  log('backend', await text(page, 'backend-status'));
  const field = (label) => page.getByLabel(label, { exact: true });
  await field('Encoder').selectOption('resnet18');
  await field('Duration unit').selectOption('epochs');
  for (const [label, value] of [
    ['Width multiplier', 0.25],
    ['Image size (px)', 32],
    ['Batch size', 256],
    ['Train for', 20],
  ]) {
    // Typed twice (another value first): a field typed by hand is one auto-configuration leaves alone.
    for (const typed of [value * 2, value]) {
      await field(label).fill(String(typed));
      await field(label).blur();
    }
  }
  await page
    .getByRole('button', { name: 'Auto-configure', exact: true })
    .click()
    .catch(() => undefined);
  await page.waitForFunction(
    () => document.querySelector('[data-testid="autoconfig-status"]')?.getAttribute('data-status') === 'done',
    null,
    { timeout: 1_800_000 },
  );
  log('autoconfig', await text(page, 'autoconfig-summary'));
  log('autoconfigEtaSeconds', await attr(page, 'autoconfig-eta', 'data-eta-seconds'));
  const start = Date.now();
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  const stepNow = async () => Number(await attr(page, 'step-counter', 'data-step'));
  const total = async () => Number(((await text(page, 'step-counter')) ?? '').split('/')[1]);
  const etaAt = async (step) => {
    await page.waitForFunction(
      (n) =>
        Number(document.querySelector('[data-testid="step-counter"]')?.getAttribute('data-step')) >= n &&
        document.querySelector('[data-testid="eta"]')?.getAttribute('data-eta-seconds'),
      step,
      { timeout: 7_200_000, polling: 500 },
    );
    log(`step${await stepNow()}`, {
      etaShown: await text(page, 'eta'),
      etaSeconds: Number(await attr(page, 'eta', 'data-eta-seconds')),
      secondsSinceStart: (Date.now() - start) / 1000,
      throughput: await text(page, 'throughput'),
      plan: await text(page, 'model-info'),
    });
  };
  await etaAt(1);
  const steps = await total();
  log('totalSteps', steps);
  await etaAt(Math.ceil(steps / 10));
  const last = Math.ceil(steps * stopAtFraction);
  await page.waitForFunction(
    (n) => Number(document.querySelector('[data-testid="step-counter"]')?.getAttribute('data-step')) >= n,
    last,
    { timeout: 14_400_000, polling: 500 },
  );
  log('reachedStep', { step: await stepNow(), secondsSinceStart: (Date.now() - start) / 1000 });
} finally {
  await browser.close();
}
