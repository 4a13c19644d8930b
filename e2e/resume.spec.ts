import { TINY_RUN } from './pages/TrainPanel';
import { expect, test } from './support/app';
import { SHAPES_DIR, SHAPES_PNG_COUNT } from './support/fixtures';

// The backend this spec uses, from the first page load on: no backend comparison.
test.use({ appQuery: '?backend=cpu' });

/** 20 steps, a loss per step, autosave every 10 steps: small enough for the CPU backend in seconds. */
const RUN = { ...TINY_RUN, imageSize: 16, trainFor: 20, metricsEvery: 1 };

function maxDiff(a: Map<number, number>, b: Map<number, number>, steps: number): number {
  let max = 0;
  for (let step = 1; step <= steps; step++) {
    const x = a.get(step);
    const y = b.get(step);
    if (x === undefined || y === undefined) throw new Error(`step ${step} missing (${x}, ${y})`);
    max = Math.max(max, Math.abs(x - y));
  }
  return max;
}

// Exact resume, proven with a real page reload: the CPU backend is deterministic.
test('20 steps in one go equal 10 steps + reload + Resume + 10 steps (CPU backend)', async ({ app }) => {
  test.setTimeout(240_000);
  const { data, train, runs } = app;
  await train.expectBackend('cpu');

  await test.step('load the images and set up a 20-step run that saves every 10 steps', async () => {
    await data.loadFolderAt(16, SHAPES_DIR, SHAPES_PNG_COUNT);
    await train.configure(RUN);
    await runs.setAutosave(10, 0);
  });

  const straight = await test.step('run A: 20 steps in one go', async () => {
    await train.startButton.click();
    await train.expectPhase('done');
    expect(await train.step()).toBe(20);
    const losses = await runs.losses();
    expect(losses.size).toBe(20);
    return losses;
  });

  const stepAtPause =
    await test.step('run B: pause as soon as step 10 is shown (Pause saves where it paused)', async () => {
      await train.clickWhenStepReaches(10, 'Pause');
      await train.startButton.click();
      await train.expectPhase('paused');
      const step = await train.step();
      expect(step).toBeGreaterThanOrEqual(10);
      expect(step).toBeLessThan(20);
      await expect(train.saveStatus).toHaveText(`Saved at step ${step}`);
      return step;
    });

  await test.step('reload the page: the saved runs are listed with their steps', async () => {
    await app.reload();
    await train.expectBackend('cpu');
    await expect(runs.savedRuns).toHaveCount(2);
    // Newest first: run B's last checkpoint is where it paused, run A's is step 20.
    expect(await runs.steps()).toEqual([stepAtPause, 20]);
    await expect(runs.run(0)).toContainText('20'); // total steps
    await expect(runs.storageUse).toContainText(/used of/);
    expect(await data.count()).toBe(0);
    // The newest run is offered at the top of the page as well.
    await expect(runs.offer).toContainText(`step ${stepAtPause} of 20`);
  });

  const resumed =
    await test.step('one click on Resume: images, settings and charts come back, and it trains to 20', async () => {
      await runs.resume(0);
      await data.expectCount(SHAPES_PNG_COUNT);
      await expect(train.field('Train for')).toHaveValue('20');
      await expect(runs.offer, 'the offer is gone once a run is restored').toHaveCount(0);
      await train.expectPhase('done');
      expect(await train.step()).toBe(20);
      const losses = await runs.losses();
      expect(losses.size).toBe(20);
      return losses;
    });

  const diff = maxDiff(straight, resumed, 20);
  test.info().annotations.push({ type: 'resume max abs loss diff (cpu)', description: diff.toExponential(2) });
  console.log(`resume max abs loss diff (cpu): ${diff.toExponential(2)}`);
  expect(diff, 'losses of 20 straight steps vs 10 + reload + 10').toBeLessThanOrEqual(1e-5);

  await test.step('delete a saved run; download the other as a checkpoint file', async () => {
    await runs.delete(1);
    await expect(runs.savedRuns).toHaveCount(1);
    const file = await app.exporter.captureDownload(runs.run(0).getByRole('button', { name: /^Download checkpoint/ }));
    expect(file.name).toBe('simclr-checkpoint-resnet-small-step20.simclr');
    expect(file.bytes.subarray(0, 8).toString('latin1')).toBe('SIMCLRCK');
  });
  await expect(app.errorBanner).toHaveCount(0);
});

test('a full quota gives a clear message, training goes on, and the previous checkpoint stays intact', async ({
  app,
}) => {
  test.setTimeout(180_000);
  const { page, data, train, runs } = app;
  await train.expectBackend('cpu');
  await data.loadFolderAt(16, SHAPES_DIR, SHAPES_PNG_COUNT);
  await train.configure({ ...RUN, trainFor: 12 });
  await runs.setAutosave(5, 0);

  const savedAt = await test.step('a checkpoint at step 5 (or where Pause landed) is saved', async () => {
    await train.clickWhenStepReaches(5, 'Pause');
    await train.startButton.click();
    await train.expectPhase('paused');
    const step = await train.step();
    expect(step).toBeLessThan(10);
    await expect.poll(() => runs.steps()).toEqual([step]);
    return step;
  });

  await test.step('storage fills up: later saves fail with a message, training finishes', async () => {
    // IndexedDB in the worker now refuses checkpoint writes as a full disk does.
    const worker = page.workers().find((w) => w.url().includes('worker'));
    if (!worker) throw new Error('training worker not found');
    await worker.evaluate(() => {
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: [unknown, IDBValidKey?]) {
        if (this.name === 'checkpoints') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return put.apply(this, args);
      };
    });
    await train.resumeButton.click();
    await train.expectPhase('done');
    await expect(app.errorBanner).toContainText(
      `Browser storage is full: the checkpoint at step 10 was not saved. The previous checkpoint (step ${savedAt}) is intact.`,
    );
    await expect(train.saveStatus).toHaveText(`Save failed; saved at step ${savedAt}.`);
  });

  await test.step('a reload asks first (steps are unsaved); accepted, the run is still there', async () => {
    let prompted = false;
    page.once('dialog', (dialog) => {
      prompted = dialog.type() === 'beforeunload';
      void dialog.accept();
    });
    await page.reload();
    expect(prompted).toBe(true);
    await expect(data.dropZone).toBeVisible({ timeout: 60_000 });
    await expect.poll(() => runs.steps()).toEqual([savedAt]);
  });
});

test('Stop saves the run where it stopped, with the losses not yet read back', async ({ app }) => {
  const { data, train, runs } = app;
  await train.expectBackend('cpu');
  await data.loadFolderAt(16, SHAPES_DIR, SHAPES_PNG_COUNT);
  // Metrics every 4 steps and no interval save after step 1: Stop saves with losses still pending.
  await train.configure({ ...RUN, trainFor: 40, metricsEvery: 4 });
  await runs.setAutosave(1000, 0);
  await train.clickWhenStepReaches(5, 'Stop');
  await train.startButton.click();
  await train.expectPhase('stopped');
  const stoppedAt = await train.step();
  expect(stoppedAt).toBeGreaterThanOrEqual(5);
  expect(stoppedAt).toBeLessThan(40);
  await expect.poll(() => runs.steps()).toEqual([stoppedAt]);
  const losses = await runs.losses();
  expect([...losses.keys()]).toEqual(Array.from({ length: stoppedAt }, (_, i) => i + 1));
});
