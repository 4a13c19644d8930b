import { join } from 'node:path';
import { EvaluationViews } from './pages/EvaluationViews';
import { TINY_RUN } from './pages/TrainPanel';
import { expect, test } from './support/app';
import {
  generateLabelledFixtures,
  LABELLED_COUNT,
  LABELLED_DIR,
  LABELLED_SIZE,
  PER_CLASS,
  removeLabelledFixtures,
} from './support/labelled-fixtures';

// Search by image, the map's filter and the lasso, after a two-step run of a tiny encoder on wasm.
test.use({ appQuery: '?backend=wasm' });
test.beforeAll(() => generateLabelledFixtures());
test.afterAll(() => removeLabelledFixtures());

test('search by image, filter by name and label, lasso selection shown in the grid', async ({ app }) => {
  test.setTimeout(180_000);
  const { page, data, train } = app;
  const views = new EvaluationViews(page);

  await test.step('train a tiny encoder for two steps on the labelled folder', async () => {
    await data.loadFolderAt(LABELLED_SIZE, LABELLED_DIR, LABELLED_COUNT);
    await data.answerFolderLabels(true);
    await train.configure({ ...TINY_RUN, imageSize: LABELLED_SIZE, trainFor: 2 });
    await views.setMapEvery(0);
    await train.startButton.click();
    await train.expectPhase('done', 120_000);
    await expect(views.map).toHaveAttribute('data-step', '2');
  });

  await test.step('one dropped image searches instead of being added: its own copy first, similarity 1', async () => {
    await data.dropFiles([join(LABELLED_DIR, 'squares', 'squares-03.png')]);
    await expect(views.neighbourItems).toHaveCount(16);
    const results = await views.results();
    expect(results[0]?.path).toMatch(/squares\/squares-03\.png$/);
    expect(Math.abs((results[0]?.similarity ?? 0) - 1)).toBeLessThanOrEqual(1e-4);
    expect(results[1]!.similarity).toBeLessThanOrEqual(results[0]!.similarity);
    await expect(views.map).not.toHaveAttribute('data-query-point', '');
    await data.expectCount(LABELLED_COUNT);
  });

  await test.step('a chosen file and a click in the thumbnail grid search too', async () => {
    await views.searchInput.setInputFiles(join(LABELLED_DIR, 'stripes', 'stripes-05.png'));
    await expect.poll(async () => (await views.results())[0]?.path).toMatch(/stripes\/stripes-05\.png$/);
    await page.getByRole('button', { name: /^Find images like .*discs\/discs-01\.png$/ }).click();
    await expect(views.neighbours).toHaveAttribute('data-query', /discs\/discs-01\.png$/);
    await expect(views.neighbourItems).toHaveCount(16);
    const paths = (await views.results()).map((r) => r.path);
    expect(paths.some((p) => p.endsWith('discs/discs-01.png'))).toBe(false);
  });

  await test.step('filter by file name and by label, with per-label counts', async () => {
    await expect(views.labelFilter.locator('option')).toHaveText([
      `all labels (${LABELLED_COUNT})`,
      `discs (${PER_CLASS})`,
      `squares (${PER_CLASS})`,
      `stripes (${PER_CLASS})`,
    ]);
    await views.nameFilter.fill('STRIPES-0');
    await expect(views.shownCount).toHaveAttribute('data-shown', String(PER_CLASS));
    await views.labelFilter.selectOption({ label: `discs (${PER_CLASS})` });
    await expect(views.shownCount).toHaveAttribute('data-shown', '0');
    await expect(views.shownCount).toContainText('none matches');
    await views.nameFilter.fill('');
    await expect(views.shownCount).toHaveAttribute('data-shown', String(PER_CLASS));
  });

  await test.step('a lasso around the whole map selects only the shown images; the grid shows them', async () => {
    await views.lassoMode.check();
    await views.lassoAll();
    await expect(views.selection).toHaveAttribute('data-count', String(PER_CLASS));
    await expect(data.thumbnailGrid).toHaveAttribute('data-count', String(PER_CLASS));
    const names = await data.thumbnailGrid
      .getByRole('img')
      .evaluateAll((cells) => cells.map((c) => c.getAttribute('aria-label') ?? ''));
    expect(names).toHaveLength(PER_CLASS);
    for (const name of names) expect(name).toMatch(/discs\//);
    // Drawn, not blank: the cells became buttons (searchable) after they were first painted.
    const painted = await data.thumbnailGrid.locator('canvas').evaluateAll((cells) =>
      cells.map((c) => {
        const canvas = c as HTMLCanvasElement;
        const pixels = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
        return Array.from(pixels).some((v, i) => i % 4 === 3 && v > 0);
      }),
    );
    expect(painted).toEqual(new Array(PER_CLASS).fill(true));
    await page.getByRole('button', { name: 'Show all images' }).click();
    await expect(data.thumbnailGrid).toHaveAttribute('data-count', String(LABELLED_COUNT));
  });

  await test.step('thumbnails grow when zooming in', async () => {
    const before = Number(await views.map.getAttribute('data-tile'));
    await page.getByRole('button', { name: 'Zoom in', exact: true }).click();
    await expect.poll(async () => Number(await views.map.getAttribute('data-tile'))).toBeGreaterThan(before);
  });

  await test.step('after a reload, the resumed run searches with its restored encoder', async () => {
    await app.reload();
    await expect(app.runs.savedRuns).toHaveCount(1);
    await app.runs.resume(0);
    await data.expectCount(LABELLED_COUNT);
    await train.expectPhase('done', 60_000);
    await expect(views.map).toHaveAttribute('data-step', '2');
    await data.dropFiles([join(LABELLED_DIR, 'discs', 'discs-04.png')]);
    await expect.poll(async () => (await views.results())[0]?.path).toMatch(/discs\/discs-04\.png$/);
    expect(Math.abs((await views.results())[0]!.similarity - 1)).toBeLessThanOrEqual(1e-4);
    await data.expectCount(LABELLED_COUNT);
  });

  await expect(app.errorBanner).toHaveCount(0);
});
