import type { Page, TestInfo } from '@playwright/test';
import { EvaluationViews } from './pages/EvaluationViews';
import { TINY_RUN } from './pages/TrainPanel';
import { App, expect, test } from './support/app';
import { type DevServer, startDevServer } from './support/dev-server';
import {
  generateLabelledFixtures,
  LABELLED_COUNT,
  LABELLED_DIR,
  LABELLED_SIZE,
  removeLabelledFixtures,
} from './support/labelled-fixtures';

// The dev server (`npm run dev`) must never reload the page: a dependency it discovers only when a worker
// or a view first imports it makes Vite re-optimize and reload, and the images and the run are gone.
// This spec starts its own dev server with an empty dependency cache (as on a fresh clone) and opens
// every view once.

let server: DevServer;

test.beforeAll(async () => {
  generateLabelledFixtures();
  server = await startDevServer();
});

test.afterAll(async () => {
  await server?.close();
  removeLabelledFixtures();
});

test('the dev server, from an empty dependency cache, never reloads the page while every view is opened', async ({
  page,
}, testInfo) => {
  test.setTimeout(360_000);
  try {
    await openEveryView(page, testInfo);
  } finally {
    await testInfo.attach('dev-server.log', { body: server.log.join('\n'), contentType: 'text/plain' });
  }
});

async function openEveryView(page: Page, testInfo: TestInfo): Promise<void> {
  const app = new App(page);
  const views = new EvaluationViews(page);
  const { data, train, runs, exporter } = app;
  const navigations: string[] = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) navigations.push(frame.url());
  });

  await page.goto(`${server.url}/?backend=wasm`);
  await expect(data.dropZone, 'the Data panel renders').toBeVisible({ timeout: 120_000 });
  // A reload would lose this marker along with everything else the page holds.
  await page.evaluate(() => {
    (window as unknown as { devServerMarker: string }).devServerMarker = 'first load';
  });
  const firstNavigations = navigations.length;

  await test.step('load a labelled folder and train a tiny run on wasm', async () => {
    await data.setStoredResolution(LABELLED_SIZE);
    await data.loadFolder(LABELLED_DIR);
    await data.expectCount(LABELLED_COUNT);
    await data.answerFolderLabels(true);
    await train.configure({ ...TINY_RUN, imageSize: LABELLED_SIZE, trainFor: 4, metricsEvery: 1 });
    await views.setMapEvery(2);
    await train.startButton.click();
    await train.expectBackend('wasm');
    await train.expectPhase('done', 180_000);
    await expect(views.map).toHaveAttribute('data-points', String(LABELLED_COUNT));
  });

  await test.step('PCA map, neighbours of a clicked point, UMAP, linear probe', async () => {
    await expect(views.map).toHaveAttribute('data-projection', 'pca');
    await views.clickFirstPoint();
    await expect(views.neighbourItems).toHaveCount(16);
    await page.getByRole('radio', { name: 'UMAP' }).check();
    await expect(views.map).toHaveAttribute('data-projection', 'umap', { timeout: 90_000 });
    await views.runProbe();
    await expect(views.probeResult).toBeVisible({ timeout: 90_000 });
  });

  await test.step('encoder download and the bundle export', async () => {
    const encoder = await exporter.captureDownload(exporter.downloadEncoderButton);
    expect(encoder.bytes.length).toBeGreaterThan(0);
    const bundle = await runs.downloadBundle();
    expect(bundle.bytes.length).toBeGreaterThan(0);
  });

  const marker = await page.evaluate(() => (window as unknown as { devServerMarker?: string }).devServerMarker);
  expect(marker, 'the page was never reloaded').toBe('first load');
  expect(navigations.slice(firstNavigations), 'no navigation after the first load').toEqual([]);
  expect(
    server.log.filter((line) => /reload|dependenc(y|ies) optimized|optimized dependencies changed/i.test(line)),
    'every dependency was optimized at start-up, none later',
  ).toEqual([]);
  await expect(app.errorBanner).toHaveCount(0);
  await app.attachProblems(testInfo);
}
