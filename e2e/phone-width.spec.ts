import { TINY_RUN } from './pages/TrainPanel';
import { expect, test } from './support/app';
import { SHAPES_DIR, SHAPES_PNG_COUNT } from './support/fixtures';

// On a 390 px phone the page never grows wider than the screen, from the empty page to a stopped run
// with its saved-run row: long labels and options wrap, wide tables scroll inside their panel.
test.use({ appQuery: '?backend=cpu', viewport: { width: 390, height: 844 } });

/** The page's width beyond the screen, in CSS pixels (0: nothing to scroll sideways). */
const overflow = (page: import('@playwright/test').Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

test('a phone-width page scrolls only up and down, through a whole run', async ({ app }) => {
  const { page, data, train, runs } = app;
  expect(await overflow(page), 'the empty page').toBe(0);
  await data.loadFolderAt(16, SHAPES_DIR, SHAPES_PNG_COUNT);
  await train.configure({ ...TINY_RUN, trainFor: 400 });
  expect(await overflow(page), 'with the settings shown').toBe(0);
  await train.startButton.click();
  await train.waitForStep(3);
  expect(await overflow(page), 'while training').toBe(0);
  await train.stopButton.click();
  await train.expectPhase('stopped');
  await expect(runs.savedRuns).toHaveCount(1, { timeout: 30_000 });
  expect(await overflow(page), 'with a saved run listed').toBe(0);
});
