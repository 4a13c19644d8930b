import { AutoConfigPanel } from './pages/AutoConfigPanel';
import { expect, test } from './support/app';

const SAMPLE_COUNT = 600;
const STORED = 32;
const AUTO = 'Auto: picked for this device.';
const MINE = 'Set by you: auto-configure keeps it.';
const ENCODER_LABELS: Record<string, string> = {
  'resnet-small': 'Small ResNet',
  resnet18: 'ResNet-18',
  resnet34: 'ResNet-34',
  resnet50: 'ResNet-50',
};

// On the wasm backend (fast to start here; WebGPU on SwiftShader compiles shaders for many seconds).
test.use({ appQuery: '?backend=wasm' });

test('auto-configure picks settings after a load, shows the ETA, keeps an override, and the run uses it', async ({
  app,
}) => {
  test.setTimeout(180_000);
  const { page, data, train } = app;
  const auto = new AutoConfigPanel(page);
  await expect(auto.button, 'nothing to configure for before images are loaded').toBeDisabled();

  await test.step('load the sample set: the probe runs by itself', async () => {
    await data.setStoredResolution(STORED);
    await data.useSamplesButton.click();
    await data.expectCount(SAMPLE_COUNT, 120_000);
    await train.expectBackend('wasm');
    await auto.waitForDone();
  });

  const picked = await test.step('the picked settings are applied, marked auto, and explained', async () => {
    await expect(auto.summary).toContainText(/Picked .+ for wasm/);
    await expect(auto.summary).toContainText(/take about .+(within|over) the 10 min budget/);
    const imageSize = Number(await train.field('Image size (px)').inputValue());
    const batchSize = Number(await train.field('Batch size').inputValue());
    const width = Number(await train.field('Width multiplier').inputValue());
    const encoder = await train.field('Encoder').inputValue();
    expect(imageSize, 'never above the stored size').toBeLessThanOrEqual(STORED);
    await expect(auto.pick).toHaveText(`${ENCODER_LABELS[encoder]} ×${width}, ${imageSize} px, batch ${batchSize}`);
    for (const label of ['Encoder', 'Width multiplier', 'Image size (px)', 'Batch size'])
      await expect(train.field(label), `${label} is marked auto`).toHaveAccessibleDescription(AUTO);
    const eta = await auto.etaSeconds();
    expect(eta, 'an ETA for the run').toBeGreaterThan(0);
    await expect(auto.eta).toContainText('ETA with the current settings');
    return { batchSize, eta };
  });

  const override = picked.batchSize === 8 ? 12 : 8;
  await test.step('override the batch size: it is kept, and the ETA follows it', async () => {
    await train.configure({ batchSize: override, durationUnit: 'epochs', trainFor: 1 });
    await expect(train.field('Batch size')).toHaveAccessibleDescription(MINE);
    await expect(train.field('Encoder')).toHaveAccessibleDescription(AUTO);
    await expect(auto.eta).toContainText('with your changes');
    await expect.poll(() => auto.etaSeconds()).not.toBe(picked.eta);
    // No size with this batch was timed: the ETA says it is extrapolated and how to time it.
    await expect(page.getByTestId('autoconfig-eta-extrapolated')).toContainText('Press Auto-configure to time them');
    await expect(auto.resetButton).toBeVisible();

    // Asked again, from the keyboard: the override stays.
    await auto.button.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => auto.currentStatus()).not.toBe('done');
    await auto.waitForDone();
    await expect(train.field('Batch size')).toHaveValue(String(override));
    await expect(train.field('Batch size')).toHaveAccessibleDescription(MINE);
  });

  await test.step('the run trains with the override', async () => {
    const steps = Math.floor(SAMPLE_COUNT / override);
    await train.startButton.click();
    await train.waitForStep(1, 120_000);
    // During a run the total is the worker's own (trainState), computed from the batch size it got.
    await expect(train.stepCounter).toHaveText(new RegExp(`/ ${steps}$`));
    await expect(auto.button, 'settings are locked while training').toBeDisabled();
    await train.stopButton.click();
    await train.expectPhase('stopped');
    await expect(train.field('Batch size')).toHaveValue(String(override));
  });
});

test('Start pressed while auto-configure runs waits for its pick and trains with it', async ({ app }) => {
  test.setTimeout(180_000);
  const { page, data, train } = app;
  const auto = new AutoConfigPanel(page);
  await data.setStoredResolution(STORED);
  await train.configure({ durationUnit: 'epochs', trainFor: 2 });
  // A short budget keeps the pick small, so the run's first step comes quickly here.
  await auto.timeBudget.fill('1');
  await data.useSamplesButton.click();
  await data.expectCount(SAMPLE_COUNT, 120_000);
  await expect(auto.status).toHaveAttribute('data-status', 'probing');
  await train.startButton.click();
  await auto.waitForDone();
  await train.waitForStep(1, 120_000);
  const batchSize = Number(await train.field('Batch size').inputValue());
  await expect(train.field('Batch size')).toHaveAccessibleDescription(AUTO);
  expect(await auto.pick.textContent()).toContain(`batch ${batchSize}`);
  // The worker's own total: 2 epochs at the picked batch size.
  await expect(train.stepCounter).toHaveText(new RegExp(`/ ${2 * Math.floor(SAMPLE_COUNT / batchSize)}$`));
  await train.stopButton.click();
  await train.expectPhase('stopped');
});
