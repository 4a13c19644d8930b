import { readFile } from 'node:fs/promises';
import { expect, type Locator, type Page } from '@playwright/test';
import { showTab } from './layout';

/** "Fine-tune with few labels": settings, controls, live figures, try it and the classifier download. */
export class FineTunePanel {
  readonly root: Locator;
  readonly startButton: Locator;
  readonly pauseButton: Locator;
  readonly resumeButton: Locator;
  readonly stopButton: Locator;
  readonly status: Locator;
  readonly accuracy: Locator;
  readonly probe: Locator;
  readonly majority: Locator;
  readonly confusion: Locator;
  readonly classifyInput: Locator;
  readonly classifyResult: Locator;
  readonly downloadButton: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('fine-tune');
    const button = (name: string) => this.root.getByRole('button', { name, exact: true });
    this.startButton = this.root.getByRole('button', { name: /^(Start fine-tuning|Fine-tune again)$/ });
    this.pauseButton = button('Pause fine-tuning');
    this.resumeButton = button('Resume fine-tuning');
    this.stopButton = button('Stop fine-tuning');
    this.status = page.getByTestId('fine-tune-status');
    this.accuracy = page.getByTestId('fine-tune-accuracy');
    this.probe = page.getByTestId('fine-tune-probe');
    this.majority = page.getByTestId('fine-tune-majority');
    this.confusion = page.getByTestId('confusion-matrix');
    this.classifyInput = this.root.getByLabel('Classify an image (choose, or drop it here)');
    this.classifyResult = page.getByTestId('classify-result');
    this.downloadButton = button('Download classifier (.zip)');
    this.error = page.getByTestId('fine-tune-error');
  }

  async configure(settings: {
    fraction?: '1%' | '10%' | 'all';
    startFrom?: 'the trained encoder' | 'random weights (baseline)';
    steps?: number;
    batchSize?: number;
    learningRate?: number;
    seed?: number;
  }): Promise<void> {
    await showTab(this.page, 'Evaluation');
    if (settings.fraction)
      await this.root.getByLabel('Labelled images to train on').selectOption({ label: settings.fraction });
    if (settings.startFrom) await this.root.getByLabel('Start from').selectOption({ label: settings.startFrom });
    const numbers: [string, number | undefined][] = [
      ['Fine-tune steps', settings.steps],
      ['Fine-tune batch size', settings.batchSize],
      ['Fine-tune learning rate', settings.learningRate],
      ['Fine-tune seed', settings.seed],
    ];
    for (const [label, value] of numbers) {
      if (value === undefined) continue;
      const input = this.root.getByLabel(label, { exact: true });
      await input.fill(String(value));
      await input.blur();
      await expect(input).toHaveValue(String(value));
    }
  }

  async expectPhase(phase: string, timeout = 120_000): Promise<void> {
    await expect(this.status).toHaveAttribute('data-phase', phase, { timeout });
  }

  async value(locator: Locator): Promise<number> {
    return Number(await locator.getAttribute('data-value'));
  }

  /** The probabilities the app shows for the last classified image, by label. */
  async shownProbabilities(): Promise<Map<string, number>> {
    const json = (await this.classifyResult.getAttribute('data-probabilities')) ?? '[]';
    const ranked = JSON.parse(json) as { label: string; probability: number }[];
    return new Map(ranked.map((r) => [r.label, r.probability]));
  }

  async downloadClassifier(): Promise<{ name: string; bytes: Buffer }> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download', { timeout: 120_000 }),
      this.downloadButton.click(),
    ]);
    const failure = await download.failure();
    if (failure) throw new Error(`download failed: ${failure}`);
    return { name: download.suggestedFilename(), bytes: await readFile(await download.path()) };
  }
}
