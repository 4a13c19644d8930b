import AxeBuilder from '@axe-core/playwright';
import type { Page, TestInfo } from '@playwright/test';
import { type LiveTab, openAdvanced, openDetails, showTab } from './pages/layout';
import { TINY_RUN } from './pages/TrainPanel';
import { type App, expect, test } from './support/app';
import { SHAPES_DIR, SHAPES_PNG_COUNT } from './support/fixtures';
import { controlBoxes, outside, overlaps } from './support/geometry';

// The page's layout at a laptop and a phone size: no control covers another or leaves the screen
// sideways (bounding boxes, not pixels), in every tab, with Advanced open; and axe finds no serious or
// critical accessibility problem. Screenshots of each state go to test-results.
test.use({ appQuery: '?backend=cpu' });

const TABS: LiveTab[] = ['Training', 'Representation health', 'Map and neighbours', 'Evaluation'];

async function expectClearLayout(page: Page, testInfo: TestInfo, state: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0)); // the sticky run bar in its own place
  const { boxes, viewportWidth } = await controlBoxes(page);
  expect(boxes.length, `${state}: controls found`).toBeGreaterThan(5);
  expect(outside(boxes, viewportWidth), `${state}: controls beyond the viewport`).toEqual([]);
  expect(overlaps(boxes), `${state}: overlapping controls`).toEqual([]);
  const { width } = page.viewportSize() ?? { width: 0 };
  await page.screenshot({ path: testInfo.outputPath(`${width}-${state}.png`), fullPage: true });
}

async function shortRun(app: App): Promise<void> {
  await app.data.loadFolderAt(16, SHAPES_DIR, SHAPES_PNG_COUNT);
  await app.train.configure({ ...TINY_RUN, trainFor: 6 });
  await app.train.startButton.click();
  await app.train.expectPhase('done', 120_000);
}

for (const viewport of [
  { width: 1366, height: 768 },
  { width: 390, height: 844 },
]) {
  test.describe(`${viewport.width} x ${viewport.height}`, () => {
    test.use({ viewport });

    test('no control overlaps another or leaves the screen, from the empty page to every tab', async ({
      app,
    }, testInfo) => {
      const { page } = app;
      await expectClearLayout(page, testInfo, 'empty');
      await shortRun(app);
      for (const tab of TABS) {
        await showTab(page, tab);
        await expectClearLayout(page, testInfo, `after-run-${tab.replaceAll(' ', '-').toLowerCase()}`);
      }
      await openAdvanced(page);
      await openDetails(page, 'Augmentation parameters');
      await expectClearLayout(page, testInfo, 'advanced-open');
    });
  });
}

/** axe-core's serious and critical findings, one line each. */
async function axeProblems(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

test('axe: no serious or critical violations on the start page and in each tab after a run, light and dark', async ({
  app,
}) => {
  const { page } = app;
  expect(await axeProblems(page), 'start page').toEqual([]);
  await shortRun(app);
  for (const tab of TABS) {
    await showTab(page, tab);
    expect(await axeProblems(page), `tab ${tab}`).toEqual([]);
  }
  await openAdvanced(page);
  await openDetails(page, 'Augmentation parameters');
  expect(await axeProblems(page), 'Advanced and the augmentation sliders open').toEqual([]);
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await axeProblems(page), 'dark mode').toEqual([]);
});

test('the live views are an ARIA tablist: arrow keys, Home and End move between tabs', async ({ app }) => {
  const { page } = app;
  const tabs = page.getByRole('tablist', { name: 'Live views' }).getByRole('tab');
  await expect(tabs).toHaveText(TABS);
  await tabs.first().focus();
  await page.keyboard.press('ArrowRight');
  await expect(tabs.nth(1)).toBeFocused();
  await expect(tabs.nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel', { name: 'Representation health' })).toBeVisible();
  await expect(page.getByRole('tabpanel', { name: 'Training' })).toBeHidden();
  await page.keyboard.press('End');
  await expect(tabs.last()).toBeFocused();
  await page.keyboard.press('ArrowRight'); // wraps
  await expect(tabs.first()).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowLeft');
  await expect(tabs.last()).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Home');
  await expect(tabs.first()).toBeFocused();
  // One tab stop: Tab leaves the tablist instead of walking through the tabs.
  await expect(tabs.nth(1)).toHaveAttribute('tabindex', '-1');
});
