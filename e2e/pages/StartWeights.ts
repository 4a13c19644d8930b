import type { Locator, Page } from '@playwright/test';
import { openAdvanced } from './layout';

/** "Start from weights…" in the Train panel's Advanced settings: choose a .safetensors file, read what it holds or why not. */
export class StartWeights {
  readonly chooseButton: Locator;
  readonly fileInput: Locator;
  readonly summary: Locator;
  readonly error: Locator;
  readonly useRandomButton: Locator;

  constructor(readonly page: Page) {
    this.chooseButton = page.getByRole('button', { name: 'Start from weights…', exact: true });
    this.fileInput = page.getByLabel('Weights file (.safetensors)', { exact: true });
    this.summary = page.getByTestId('start-weights-summary');
    this.error = page.getByTestId('start-weights-error');
    this.useRandomButton = page.getByRole('button', { name: 'Use random weights', exact: true });
  }

  /** Sets the file on the hidden input, as the file chooser the button opens would. */
  async choose(path: string): Promise<void> {
    await openAdvanced(this.page); // where the summary and errors show
    await this.fileInput.setInputFiles(path);
  }
}
