import { DataPanel } from './pages/DataPanel';
import { TINY_RUN, TrainPanel } from './pages/TrainPanel';
import { expect, test } from './support/app';
import { BASE_URL } from './support/browser';
import { SHAPES_DIR, SHAPES_PNG_COUNT } from './support/fixtures';
import { launchWithRealTabs } from './support/real-tabs';

const WATCH_MS = 10_000;

// A person starts a run, then switches to another tab: the trainer's tab really becomes hidden
// (document.visibilityState 'hidden'; see support/real-tabs.ts). The worker must keep stepping.
test('training continues while the tab is in the background', async () => {
  test.setTimeout(180_000);
  const chromium = await launchWithRealTabs();
  try {
    const page = chromium.context.pages()[0] ?? (await chromium.context.newPage());
    await page.goto(`${BASE_URL}/?backend=wasm`);
    const data = new DataPanel(page);
    const train = new TrainPanel(page);
    await data.setStoredResolution(16);
    await data.loadFolder(SHAPES_DIR);
    await data.expectCount(SHAPES_PNG_COUNT);
    await train.configure({ ...TINY_RUN, trainFor: 100_000, metricsEvery: 5 });
    await train.startButton.click();
    await train.waitForStep(3, 120_000);

    const visibleFrom = await train.step();
    await page.waitForTimeout(WATCH_MS);
    const visibleSteps = (await train.step()) - visibleFrom;

    const other = await chromium.context.newPage();
    await other.goto('about:blank');
    await expect.poll(() => page.evaluate(() => document.visibilityState)).toBe('hidden');
    const hiddenFrom = await train.step();
    await other.waitForTimeout(WATCH_MS);
    const hidden = await page.evaluate(() => ({
      visibility: document.visibilityState,
      step: Number(document.querySelector('[data-testid="step-counter"]')?.getAttribute('data-step')),
    }));
    expect(hidden.visibility, 'the page stayed hidden throughout').toBe('hidden');
    const hiddenSteps = hidden.step - hiddenFrom;
    test.info().annotations.push({
      type: `steps in ${WATCH_MS / 1000} s (wasm, tiny model)`,
      description: `visible ${visibleSteps}, hidden ${hiddenSteps}`,
    });
    console.log(`background: steps in ${WATCH_MS / 1000} s visible ${visibleSteps}, hidden ${hiddenSteps}`);
    expect(hiddenSteps, 'the worker kept stepping while the tab was hidden').toBeGreaterThan(5);

    await other.close();
    await expect.poll(() => page.evaluate(() => document.visibilityState)).toBe('visible');
    await train.stopButton.click();
    await train.expectPhase('stopped');
  } finally {
    await chromium.close();
  }
});
