import { expect, type Locator, type Page } from '@playwright/test';

export type AutoStatus = 'idle' | 'probing' | 'done' | 'cancelled' | 'failed';

/** Auto-configure in the Train settings: the probe's button, the time budget, what it picked and the ETA. */
export class AutoConfigPanel {
  readonly button: Locator;
  readonly cancelButton: Locator;
  readonly resetButton: Locator;
  readonly timeBudget: Locator;
  readonly status: Locator;
  readonly summary: Locator;
  readonly pick: Locator;
  readonly eta: Locator;

  constructor(readonly page: Page) {
    this.button = page.getByRole('button', { name: 'Auto-configure', exact: true });
    this.cancelButton = page.getByRole('button', { name: 'Cancel auto-configure', exact: true });
    this.resetButton = page.getByRole('button', { name: 'Reset to auto', exact: true });
    this.timeBudget = page.getByLabel('Time budget (min)', { exact: true });
    this.status = page.getByTestId('autoconfig-status');
    this.summary = page.getByTestId('autoconfig-summary');
    this.pick = page.getByTestId('autoconfig-pick');
    this.eta = page.getByTestId('autoconfig-eta');
  }

  async currentStatus(): Promise<AutoStatus> {
    return ((await this.status.getAttribute('data-status')) ?? 'idle') as AutoStatus;
  }

  /** Waits for the probe to finish; fails at once, with the message shown, if it failed or was cancelled. */
  async waitForDone(timeout = 90_000): Promise<void> {
    await expect
      .poll(async () => ['done', 'failed', 'cancelled'].includes(await this.currentStatus()), {
        timeout,
        message: 'auto-configure finishes',
      })
      .toBe(true);
    const status = await this.currentStatus();
    if (status !== 'done') throw new Error(`auto-configure ended '${status}': ${await this.status.textContent()}`);
  }

  /** Predicted seconds for the run with the settings as they are now. */
  async etaSeconds(): Promise<number> {
    const raw = await this.eta.getAttribute('data-eta-seconds');
    return raw === null ? Number.NaN : Number(raw);
  }
}
