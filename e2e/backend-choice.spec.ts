import type { Page } from '@playwright/test';
import { expect, test } from './support/app';
import { backendOptions as options } from './support/backend-options';

// No `?backend=`: the app times real steps on every backend and picks the fastest (worker/backend-comparison.ts).
test.use({ appQuery: '' });

async function isSoftwareWebGpu(page: Page): Promise<boolean> {
  return page.evaluate(async () => {
    const adapter = await navigator.gpu?.requestAdapter();
    if (!adapter) return false;
    const info = adapter.info;
    return /swiftshader/i.test(`${info.vendor} ${info.architecture} ${info.description}`);
  });
}

test('with no ?backend= the app times every backend, picks the fastest, says so with figures, remembers, switches, measures again', async ({
  app,
  page,
}) => {
  test.setTimeout(480_000);
  const { train } = app;
  const choice = page.getByTestId('backend-choice');
  const chooser = page.getByRole('combobox', { name: 'Backend' });
  const measureAgain = page.getByRole('button', { name: 'Measure again' });

  await test.step('the comparison is shown while it runs, then the fastest is chosen with the figures', async () => {
    await expect(train.backendStatus).toContainText(/Comparing backends|Reading the graphics hardware/);
    await expect.poll(() => train.backendSource(), { timeout: 300_000 }).toBe('measured');
    const text = (await choice.textContent()) ?? '';
    test.info().annotations.push({ type: 'backend-choice', description: text });
    expect(text).toMatch(/^Chosen as the fastest: \S+ [\d.]+ m?s per step vs /);
    expect(text).toContain('warm-up step not counted; measured on this device just now');
    for (const name of ['WebGPU', 'WebGL', 'wasm']) expect(text).toContain(name);
    const measured = (await options(page)).filter((o) => o.seconds !== null);
    expect(measured.length, 'at least two backends timed').toBeGreaterThanOrEqual(2);
    const fastest = measured.reduce((a, b) => ((b.seconds ?? 0) < (a.seconds ?? 0) ? b : a));
    expect(await train.backendName()).toBe(fastest.value);
    await expect(chooser).toHaveValue(fastest.value);
  });

  await test.step('without a hardware GPU it says so in plain words', async () => {
    test.skip(!(await isSoftwareWebGpu(page)), 'this machine has a hardware GPU');
    await expect(page.getByTestId('backend-no-gpu')).toContainText(
      /^No hardware GPU found: WebGPU here is SwiftShader, a software emulation on the CPU/,
    );
    await expect(page.getByTestId('backend-no-gpu')).toContainText(/measured [\d.]+ m?s per step of /);
  });

  const chosen = await train.backendName();

  await test.step('a reload remembers the choice without measuring again', async () => {
    await page.reload();
    await expect.poll(() => train.backendSource(), { timeout: 60_000 }).toBe('remembered');
    expect(await train.backendName()).toBe(chosen);
    await expect(choice).toContainText(/^Chosen earlier as the fastest: .*measured on this device on \d{4}-\d\d-\d\d/);
  });

  await test.step('the chooser switches the backend, and the pick is remembered', async () => {
    const other = (await options(page)).find((o) => o.value !== chosen && o.seconds !== null);
    expect(other, 'another backend that trained a step').toBeDefined();
    await chooser.selectOption(other!.value);
    await expect.poll(() => train.backendSource(), { timeout: 120_000 }).toBe('picked');
    expect(await train.backendName()).toBe(other!.value);
    await expect(choice).toContainText('as you picked');
    await page.reload();
    await expect.poll(() => train.backendSource(), { timeout: 120_000 }).toBe('remembered');
    expect(await train.backendName()).toBe(other!.value);
    await expect(choice).toContainText('as you picked earlier on this device');
  });

  await test.step('Measure again times the backends again; Stop comparing keeps the fastest timed so far', async () => {
    await measureAgain.click();
    await expect(train.backendStatus).toContainText('Comparing backends');
    // Stopped at once: the first backend (wasm) is still timed, as nothing was before; the others are skipped.
    await page.getByRole('button', { name: 'Stop comparing (use the fastest so far)' }).click();
    await expect.poll(() => train.backendSource(), { timeout: 300_000 }).toBe('measured');
    await expect(choice).toContainText('measured on this device just now');
    await expect(choice).toContainText('WebGPU: not timed (comparison stopped)');
    const measured = (await options(page)).filter((o) => o.seconds !== null);
    const fastest = measured.reduce((a, b) => ((b.seconds ?? 0) < (a.seconds ?? 0) ? b : a));
    expect(await train.backendName()).toBe(fastest.value);
  });
});
