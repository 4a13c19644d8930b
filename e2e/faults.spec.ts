import type { Worker } from '@playwright/test';
import { TINY_RUN } from './pages/TrainPanel';
import { type App, expect, test } from './support/app';
import { SHAPES_DIR, SHAPES_PNG_COUNT } from './support/fixtures';

interface Hooks {
  loseDevice(): string;
  outOfMemoryAbove(maxBatch: number): void;
  crash(): void;
}

/**
 * Opens the app (the `unopenedApp` fixture: the workers are listened for from the first load) with the
 * worker's fault-injection hooks (?testHooks=1) and loads the shapes folder.
 */
async function openWithHooks(app: App, backend: string): Promise<{ worker: () => Promise<Worker> }> {
  const workers: Worker[] = [];
  app.page.on('worker', (w) => workers.push(w));
  await app.open(`?backend=${backend}&testHooks=1`);
  await app.data.loadFolderAt(16, SHAPES_DIR, SHAPES_PNG_COUNT);
  /**
   * The training worker: the one that has the hooks. Other workers come and go, and the wasm backend's
   * thread workers (blob: URLs) may sit in a blocking wait that never answers an evaluate: skip those and
   * give every other worker a few seconds to answer.
   */
  const worker = async () => {
    for (const w of [...workers].reverse()) {
      if (w.url().startsWith('blob:')) continue;
      const answer = w.evaluate(() => '__simclrTestHooks' in self).catch(() => false);
      const has = await Promise.race([answer, new Promise<boolean>((r) => setTimeout(() => r(false), 5_000))]);
      if (has) return w;
    }
    throw new Error('no training worker with test hooks');
  };
  return { worker };
}

function hook<K extends keyof Hooks>(worker: Worker, name: K, ...args: Parameters<Hooks[K]>): Promise<unknown> {
  return worker.evaluate(
    ({ name, args }) =>
      // biome-ignore lint/suspicious/noExplicitAny: the hooks object exists only in test builds of the worker
      ((self as any).__simclrTestHooks[name] as (...a: unknown[]) => unknown)(...args),
    { name, args: args as unknown[] },
  );
}

test('GPU device lost: the run pauses, the backend is re-created and training continues by itself', async ({
  unopenedApp: app,
}) => {
  test.setTimeout(300_000);
  const { worker } = await openWithHooks(app, 'webgpu');
  const { train } = app;
  await train.configure({ ...TINY_RUN, trainFor: 4 });
  await train.startButton.click();
  await train.expectBackend('webgpu');
  await train.waitForStep(2);
  expect(await hook(await worker(), 'loseDevice')).toBe('destroyed');
  await expect(app.errorBanner).toContainText(/GPU device was lost at step \d+; the GPU backend was restarted/, {
    timeout: 120_000,
  });
  await expect(app.errorBanner).toContainText(/continued from step [1-9]/);
  await train.expectPhase('done', 180_000);
  expect(await train.step()).toBe(4);
  expect(Number.isFinite(await train.numberAttr(train.lossChart, 'data-last')), 'the loss is finite').toBe(true);
});

test('out of memory at a batch size: retried at a smaller batch, with a message', async ({ unopenedApp: app }) => {
  const { worker } = await openWithHooks(app, 'wasm');
  const { train } = app;
  await hook(await worker(), 'outOfMemoryAbove', 4);
  await train.configure({ ...TINY_RUN, batchSize: 8, trainFor: 4 });
  await train.startButton.click();
  await expect(app.errorBanner).toContainText('Out of memory at batch size 8: training started again at batch size 4');
  // The step the worker now takes, and why it is not the one set.
  await expect(app.page.getByTestId('step-plan')).toContainText('batch 4 in one chunk');
  await expect(app.page.getByTestId('step-plan')).toContainText('out of memory at batch size 8');
  await expect(train.phase, 'the run never showed as failed').not.toHaveText(/error/);
  await train.expectPhase('done', 120_000);
  expect(await train.step()).toBe(4);
});

test('worker crash: the UI says so and resumes the saved run after a reload', async ({ unopenedApp: app }) => {
  test.setTimeout(180_000);
  const { worker } = await openWithHooks(app, 'wasm');
  const { page, train, runs } = app;
  await runs.setAutosave(2, 0);
  await train.configure({ ...TINY_RUN, trainFor: 400, metricsEvery: 2 });
  await train.startButton.click();
  await train.waitForStep(4, 120_000);
  await hook(await worker(), 'crash');

  const notice = page.getByTestId('worker-crash');
  await expect(notice).toContainText('The training worker stopped');
  await expect(train.phase, 'the run is not left spinning').toHaveText(/error/);
  const button = notice.getByRole('button', { name: /^Reload and resume from step \d+$/ });
  await expect(button).toBeVisible();
  const savedStep = Number(/step (\d+)/.exec((await button.textContent()) ?? '')?.[1]);
  expect(savedStep).toBeGreaterThanOrEqual(2);

  await button.click();
  await page.waitForLoadState('load');
  await expect(notice).toHaveCount(0);
  await expect(app.data.imageCount).toHaveText(`${SHAPES_PNG_COUNT} images loaded`, { timeout: 60_000 });
  await train.waitForStep(savedStep + 2, 120_000);
  await train.stopButton.click();
  await train.expectPhase('stopped');
});
