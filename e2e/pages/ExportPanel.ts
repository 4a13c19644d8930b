import { readFile } from 'node:fs/promises';
import type { Download, Locator, Page } from '@playwright/test';

/** The Export step: the encoder archive, and embedding one image with the trained encoder. */
export class ExportPanel {
  readonly downloadEncoderButton: Locator;
  readonly embedInput: Locator;
  readonly embeddingResult: Locator;
  readonly downloadEmbeddingButton: Locator;
  readonly recipeButton: Locator;

  constructor(readonly page: Page) {
    this.downloadEncoderButton = page.getByRole('button', { name: 'Download encoder (.zip)', exact: true });
    this.embedInput = page.getByTestId('embed-input');
    this.embeddingResult = page.getByTestId('embedding-result');
    this.downloadEmbeddingButton = page.getByRole('button', { name: 'Download embedding (.json)', exact: true });
    this.recipeButton = page.getByRole('button', { name: 'Continue on GPUs (PyTorch)', exact: true });
  }

  /** Clicks `button` and returns what the browser downloaded, with its suggested file name. */
  async captureDownload(button: Locator): Promise<{ name: string; bytes: Buffer }> {
    const [download] = await Promise.all([this.page.waitForEvent('download', { timeout: 120_000 }), button.click()]);
    return { name: download.suggestedFilename(), bytes: await readDownload(download) };
  }

  downloadEncoder(): Promise<{ name: string; bytes: Buffer }> {
    return this.captureDownload(this.downloadEncoderButton);
  }

  /** The PyTorch recipe folder (zip) that continues the run with torchrun. */
  downloadRecipe(): Promise<{ name: string; bytes: Buffer }> {
    return this.captureDownload(this.recipeButton);
  }

  async embed(path: string): Promise<void> {
    await this.embedInput.setInputFiles(path);
  }

  downloadEmbedding(): Promise<{ name: string; bytes: Buffer }> {
    return this.captureDownload(this.downloadEmbeddingButton);
  }
}

async function readDownload(download: Download): Promise<Buffer> {
  const failure = await download.failure();
  if (failure) throw new Error(`download ${download.suggestedFilename()} failed: ${failure}`);
  return readFile(await download.path());
}
