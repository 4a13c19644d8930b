import { EvaluationViews } from './pages/EvaluationViews';
import { TINY_RUN } from './pages/TrainPanel';
import { expect, test } from './support/app';
import {
  generateLabelledFixtures,
  LABELLED_COUNT,
  LABELLED_DIR,
  LABELLED_SIZE,
  removeLabelledFixtures,
} from './support/labelled-fixtures';

// The backend this spec uses, from the first page load on: no backend comparison.
test.use({ appQuery: '?backend=wasm' });

test.beforeAll(() => generateLabelledFixtures());
test.afterAll(() => removeLabelledFixtures());

test('folder names become labels only after the person says so; the answer is remembered and can be changed', async ({
  app,
}) => {
  test.setTimeout(180_000);
  const { page, data, train } = app;
  const views = new EvaluationViews(page);
  await data.loadFolderAt(LABELLED_SIZE, LABELLED_DIR, LABELLED_COUNT);

  await test.step('the question names the folders with their counts and shares', async () => {
    await expect(data.folderQuestion).toBeVisible();
    await expect(data.folderQuestion).toContainText('Are the folder names labels?');
    await expect(data.folderQuestion).toContainText('3 folders: discs 8 (33%), squares 8 (33%), stripes 8 (33%)');
  });

  await test.step('unanswered: a run has no kNN, no probe and no label colours', async () => {
    await train.configure({ ...TINY_RUN, imageSize: LABELLED_SIZE, trainFor: 2, metricsEvery: 1 });
    await train.startButton.click();
    await train.expectBackend('wasm');
    await train.expectPhase('done', 120_000);
    await expect(views.map).toHaveAttribute('data-points', String(LABELLED_COUNT));
    await expect(views.absentReason).toContainText('only once you say so in step 1');
    await expect(views.knn20).toHaveCount(0);
    await expect(views.probeButton).toHaveCount(0);
    await views.show('Map and neighbours');
    await expect(page.getByText('No labels:')).toBeVisible();
  });

  await test.step('yes: kNN with the majority-class baseline, label counts and the probe, for the run already done', async () => {
    await data.answerFolderLabels(true);
    await expect(data.folderQuestion).toHaveCount(0);
    await views.show('Evaluation');
    await expect(views.knn20).toBeVisible({ timeout: 30_000 });
    const majority = await views.number(page.getByTestId('knn-majority'));
    expect(majority).toBeGreaterThanOrEqual(1 / 3);
    expect(majority).toBeLessThanOrEqual(1);
    await expect(page.getByTestId('knn-majority')).toContainText('%');
    await expect(page.getByTestId('label-counts')).toContainText('discs 8 (33%), squares 8 (33%), stripes 8 (33%)');
    await views.runProbe();
    await expect(views.probeResult).toBeVisible({ timeout: 60_000 });
    expect(await views.number(page.getByTestId('probe-majority'))).toBe(majority);
  });

  await test.step('after a reload the same folder is not asked about again; the answer can be changed', async () => {
    await app.open();
    await data.loadFolderAt(LABELLED_SIZE, LABELLED_DIR, LABELLED_COUNT);
    await expect(data.folderAnswer).toHaveAttribute('data-answer', 'labels');
    await expect(data.folderQuestion).toHaveCount(0);
    await data.folderAnswer.getByRole('button', { name: 'They are just folders', exact: true }).click();
    await expect(data.folderAnswer).toHaveAttribute('data-answer', 'folders');
    await app.open();
    await data.loadFolderAt(LABELLED_SIZE, LABELLED_DIR, LABELLED_COUNT);
    await expect(data.folderAnswer).toHaveAttribute('data-answer', 'folders');
  });

  await expect(app.errorBanner).toHaveCount(0);
});
