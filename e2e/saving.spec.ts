import type { Page } from '@playwright/test';
import { TINY_RUN } from './pages/TrainPanel';
import { type App, expect, test } from './support/app';
import { SHAPES_DIR, SHAPES_PNG_COUNT } from './support/fixtures';

// The backend this spec uses, from the first page load on: no backend comparison.
test.use({ appQuery: '?backend=cpu' });

/** Long enough that it is still training at every reload; a loss per step. */
const LONG_RUN = { ...TINY_RUN, imageSize: 16, trainFor: 400, metricsEvery: 1 };

/** Reloads the page, accepting a beforeunload prompt if one comes; says whether one came. */
async function reload(app: App): Promise<boolean> {
  let prompted = false;
  const answer = (dialog: import('@playwright/test').Dialog) => {
    if (dialog.type() === 'beforeunload') prompted = true;
    void dialog.accept();
  };
  app.page.on('dialog', answer);
  await app.reload();
  app.page.off('dialog', answer);
  await app.train.expectBackend('cpu');
  return prompted;
}

/** The one saved run's step, once the list has been read. */
async function savedRunStep(app: App): Promise<number> {
  await expect(app.runs.savedRuns).toHaveCount(1, { timeout: 30_000 });
  const [step] = await app.runs.steps();
  return step ?? Number.NaN;
}

async function worker(page: Page) {
  const found = page.workers().find((w) => w.url().includes('worker'));
  if (!found) throw new Error('training worker not found');
  return found;
}

/** Resumes the saved run and waits until it has trained `steps` more steps. */
async function resumeAndTrain(app: App, from: number, steps: number): Promise<void> {
  await app.runs.resume(0);
  await app.data.expectCount(SHAPES_PNG_COUNT);
  await app.train.waitForStep(from + steps);
}

// The first test reaches into the worker (?testHooks=1).
test.describe(() => {
  test.use({ appQuery: '?backend=cpu&testHooks=1' });

  test('reloads mid-step, right after Stop and mid-save lose at most the steps since the last save', async ({
    app,
  }) => {
    test.setTimeout(420_000);
    const { page, data, train } = app;
    await train.expectBackend('cpu');
    await data.loadFolderAt(16, SHAPES_DIR, SHAPES_PNG_COUNT);
    await train.configure(LONG_RUN);

    await test.step('by default the first checkpoint is written right after step 1, then every minute', async () => {
      await expect(train.field('Autosave every (minutes)')).toHaveValue('1');
      await expect(train.field('Autosave every (steps)')).toHaveValue('0');
      await train.startButton.click();
      await expect(train.saveStatus).toHaveAttribute('data-saved-step', '1', { timeout: 120_000 });
    });

    await test.step('mid-step: the reload asks first; the saved run has at least the step shown as saved', async () => {
      await train.waitForStep(4);
      const shownSaved = await train.savedStep();
      expect(await reload(app), 'a beforeunload prompt while steps are unsaved').toBe(true);
      expect(await savedRunStep(app)).toBeGreaterThanOrEqual(shownSaved);
    });

    await test.step('right after Stop: the reload loses at most the steps since the last save', async () => {
      const from = await savedRunStep(app);
      await resumeAndTrain(app, from, 3);
      const shownSaved = await train.savedStep();
      await train.stopButton.click();
      await reload(app);
      expect(await savedRunStep(app)).toBeGreaterThanOrEqual(shownSaved);
    });

    const stoppedAt =
      await test.step('Stop shows "Saved at step N"; then a reload does not ask and finds N', async () => {
        const from = await savedRunStep(app);
        await resumeAndTrain(app, from, 3);
        await train.stopButton.click();
        await train.expectPhase('stopped');
        const step = await train.step();
        await expect(train.saveStatus).toHaveText(`Saved at step ${step}`);
        expect(await reload(app), 'no prompt when everything is saved').toBe(false);
        expect(await savedRunStep(app)).toBe(step);
        return step;
      });

    await test.step('mid-save: a reload while the switch to the new checkpoint waits keeps the previous one', async () => {
      await resumeAndTrain(app, stoppedAt, 3);
      // Each save now waits 60 s between writing the new checkpoint and switching the run record to it.
      await (await worker(page)).evaluate(() =>
        (
          self as unknown as { __simclrTestHooks: { slowCheckpointSwitch(ms: number): void } }
        ).__simclrTestHooks.slowCheckpointSwitch(60_000),
      );
      await train.pauseButton.click();
      await expect(train.saveStatus).toHaveAttribute('data-state', 'saving');
      await expect(train.saveStatus).toHaveText(/^Saving step \d+…$/);
      expect(await reload(app), 'a prompt while the save is not complete').toBe(true);
      expect(await savedRunStep(app)).toBe(stoppedAt);
    });

    await test.step('the previous checkpoint is intact: Resume trains on, and Stop saves again', async () => {
      await resumeAndTrain(app, stoppedAt, 3);
      await train.stopButton.click();
      await train.expectPhase('stopped');
      const step = await train.step();
      await expect(train.saveStatus).toHaveText(`Saved at step ${step}`);
      await expect.poll(() => app.runs.steps()).toEqual([step]);
    });
    await expect(app.errorBanner).toHaveCount(0);
  });
});

test('Stop, then Continue: the same run goes on from where it stopped to its end, as if never stopped', async ({
  app,
}) => {
  test.setTimeout(240_000);
  const { data, train, runs } = app;
  const RUN = { ...TINY_RUN, imageSize: 16, trainFor: 24, metricsEvery: 1 };
  await train.expectBackend('cpu');
  await data.loadFolderAt(16, SHAPES_DIR, SHAPES_PNG_COUNT);
  await train.configure(RUN);

  const straight = await test.step('run A: 24 steps in one go', async () => {
    await train.startButton.click();
    await train.expectPhase('done');
    await expect(train.continueButton, 'no Continue after a finished run').toHaveCount(0);
    return runs.losses();
  });

  const stoppedAt = await test.step('run B: Stop at step 8; Continue appears beside the controls', async () => {
    await train.clickWhenStepReaches(8, 'Stop');
    await train.startButton.click();
    await train.expectPhase('stopped');
    const step = await train.step();
    expect(step).toBeGreaterThanOrEqual(8);
    expect(step).toBeLessThan(24);
    await expect(train.continueButton).toBeEnabled();
    return step;
  });

  await test.step('Continue: the step count goes on from there and the run finishes', async () => {
    const steps: number[] = [];
    await train.continueButton.click();
    await expect(train.continueButton).toHaveCount(0);
    await expect
      .poll(
        async () => {
          steps.push(await train.step());
          return train.currentPhase();
        },
        { timeout: 120_000 },
      )
      .toBe('done');
    expect(Math.min(...steps), 'the count never went back below the stop').toBeGreaterThanOrEqual(stoppedAt);
    expect(await train.step()).toBe(24);
    await expect(train.saveStatus).toHaveText('Saved at step 24');
  });

  const continued = await runs.losses();
  expect([...continued.keys()]).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
  let diff = 0;
  for (let step = 1; step <= 24; step++) diff = Math.max(diff, Math.abs(straight.get(step)! - continued.get(step)!));
  expect(diff, 'losses of 24 straight steps vs Stop + Continue (CPU backend is deterministic)').toBeLessThanOrEqual(
    1e-5,
  );
  // Run B kept saving into one saved run: A at 24 and B at 24.
  await expect.poll(() => runs.steps()).toEqual([24, 24]);
  await expect(app.errorBanner).toHaveCount(0);
});
