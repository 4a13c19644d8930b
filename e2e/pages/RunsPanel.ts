import { expect, type Locator, type Page } from '@playwright/test';
import type { ExportPanel } from './ExportPanel';

/** Step 4, Saved runs (resume, delete, import, autosave intervals), and the bundle / metrics downloads of step 3. */
export class RunsPanel {
  readonly savedRuns: Locator;
  readonly storageUse: Locator;
  readonly importInput: Locator;
  readonly bundleButton: Locator;
  readonly metricsCsvButton: Locator;
  readonly bundleResult: Locator;
  readonly status: Locator;
  /** "Resume the run of 12:04, step 1,200 of …?" at the top of the page after a reload. */
  readonly offer: Locator;

  constructor(
    readonly page: Page,
    private readonly exporter: ExportPanel,
  ) {
    this.savedRuns = page.getByTestId('saved-run');
    this.storageUse = page.getByTestId('storage-use');
    this.importInput = page.getByTestId('import-input');
    this.bundleButton = page.getByRole('button', { name: 'Download bundle (.zip)', exact: true });
    this.metricsCsvButton = page.getByRole('button', { name: 'Download metrics (.csv)', exact: true });
    this.bundleResult = page.getByTestId('bundle-result');
    this.status = page.locator('.runs-panel .panel-status');
    this.offer = page.getByTestId('resume-offer');
  }

  async setAutosave(everySteps: number, everyMinutes: number): Promise<void> {
    for (const [label, value] of [
      ['Autosave every (steps)', everySteps],
      ['Autosave every (minutes)', everyMinutes],
    ] as const) {
      const input = this.page.getByLabel(label, { exact: true });
      await input.fill(String(value));
      await input.blur();
      await expect(input).toHaveValue(String(value));
    }
  }

  /** Saved runs' steps, newest first. */
  async steps(): Promise<number[]> {
    return (await this.savedRuns.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-step')))).map(Number);
  }

  run(index: number): Locator {
    return this.savedRuns.nth(index);
  }

  async resume(index: number): Promise<void> {
    await this.run(index)
      .getByRole('button', { name: /^Resume saved run/ })
      .click();
  }

  async delete(index: number): Promise<void> {
    await this.run(index)
      .getByRole('button', { name: /^Delete saved run/ })
      .click();
  }

  /** Per-step losses from the metrics CSV download, indexed by step (1-based). */
  async losses(): Promise<Map<number, number>> {
    const csv = (await this.exporter.captureDownload(this.metricsCsvButton)).bytes.toString('utf8');
    const rows = csv.trim().split('\n').slice(1);
    return new Map(
      rows.map((row) => {
        const [step, loss] = row.split(',');
        return [Number(step), Number(loss)];
      }),
    );
  }

  downloadBundle(): Promise<{ name: string; bytes: Buffer }> {
    return this.exporter.captureDownload(this.bundleButton);
  }

  async importFile(path: string): Promise<void> {
    await this.importInput.setInputFiles(path);
  }
}
