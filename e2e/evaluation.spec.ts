import { EvaluationViews } from './pages/EvaluationViews';
import { TINY_RUN } from './pages/TrainPanel';
import { expect, test } from './support/app';
import { DROP_COUNT, DROP_DIR } from './support/fixtures';
import {
  generateLabelledFixtures,
  LABELLED_COUNT,
  LABELLED_DIR,
  LABELLED_SIZE,
  removeLabelledFixtures,
} from './support/labelled-fixtures';

// The backend this spec uses, from the first page load on: no backend comparison.
test.use({ appQuery: '?backend=wasm' });

// WebGPU is not the point here: the wasm backend is much faster on a machine without a GPU.
test.beforeAll(() => generateLabelledFixtures());
test.afterAll(() => removeLabelledFixtures());

test('labelled folder: health views, kNN from the untrained encoder on, map, neighbours, linear probe', async ({
  app,
}) => {
  test.setTimeout(180_000);
  const { page, data, train } = app;
  const views = new EvaluationViews(page);

  await test.step('load a folder with one subfolder per class and train briefly', async () => {
    await data.loadFolderAt(LABELLED_SIZE, LABELLED_DIR, LABELLED_COUNT);
    await data.answerFolderLabels(true);
    await train.configure({ ...TINY_RUN, imageSize: LABELLED_SIZE, trainFor: 6, metricsEvery: 1 });
    await views.setMapEvery(3);
    await train.startButton.click();
    await train.expectBackend('wasm');
    await train.expectPhase('done', 120_000);
  });

  await test.step('label-free health views', async () => {
    await expect(views.histogram).toHaveAttribute('data-bins', '40');
    const top1 = await views.number(views.top1);
    expect(top1).toBeGreaterThanOrEqual(0);
    expect(top1).toBeLessThanOrEqual(1);
    await expect(views.collapseWarning).toHaveCount(0);
  });

  await test.step('kNN accuracy is tracked from step 0 and lies in [0, 1]', async () => {
    // Passes at steps 0 (untrained), 3 and 6 (the final encoder).
    await expect(views.knnChart).toHaveAttribute('data-points', '3');
    for (const locator of [views.knn20, views.knn200]) {
      const value = await views.number(locator);
      expect(value, 'kNN accuracy').toBeGreaterThanOrEqual(0);
      expect(value, 'kNN accuracy').toBeLessThanOrEqual(1);
    }
  });

  await test.step('the map draws one point per image; a click shows 16 neighbours', async () => {
    await expect(views.map).toHaveAttribute('data-points', String(LABELLED_COUNT));
    await expect(views.map).toHaveAttribute('data-step', '6');
    await views.clickFirstPoint();
    await expect(views.neighbourItems).toHaveCount(16);
    const query = await views.neighbours.getAttribute('data-index');
    const shown = await views.neighbourItems.evaluateAll((items) => items.map((i) => i.getAttribute('data-index')));
    expect(shown).not.toContain(query);
    expect(new Set(shown).size).toBe(16);
  });

  await test.step('UMAP layout arrives from its own worker', async () => {
    await page.getByRole('radio', { name: 'UMAP' }).check();
    await expect(views.map).toHaveAttribute('data-projection', 'umap', { timeout: 60_000 });
    await expect(views.map).toHaveAttribute('data-points', String(LABELLED_COUNT));
  });

  await test.step('linear probe on demand', async () => {
    await views.runProbe();
    await expect(views.probeResult).toBeVisible({ timeout: 60_000 });
    const accuracy = await views.number(views.probeResult);
    expect(accuracy).toBeGreaterThanOrEqual(0);
    expect(accuracy).toBeLessThanOrEqual(1);
  });

  await expect(app.errorBanner).toHaveCount(0);
});

test('a run forced to collapse shows the warning; a folder without subfolders says why there is no kNN', async ({
  app,
}) => {
  test.setTimeout(120_000);
  const { page, data, train } = app;
  const views = new EvaluationViews(page);
  await data.loadFolderAt(16, DROP_DIR, DROP_COUNT);
  // Adam at learning rate 2 drives the small ResNet into collapse within two steps (the loss sits at log(2N-1)).
  await train.configure({
    ...TINY_RUN,
    imageSize: 16,
    batchSize: DROP_COUNT,
    trainFor: 6,
    metricsEvery: 1,
    optimizer: 'adam',
    learningRate: 2,
    weightDecay: 0,
  });
  await views.show('Representation health');
  await train.startButton.click();
  await expect(views.collapseWarning).toBeVisible({ timeout: 90_000 });
  await expect(views.collapseWarning).toContainText('collapse');
  await expect(views.absentReason).toContainText('one folder');
  await train.expectPhase('done', 60_000);
});
