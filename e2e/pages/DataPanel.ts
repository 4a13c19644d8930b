import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';

/** The Data step: drop zone, folder/file inputs, sample set, what was loaded and what was skipped. */
export class DataPanel {
  readonly dropZone: Locator;
  readonly folderInput: Locator;
  readonly filesInput: Locator;
  readonly chooseFolderButton: Locator;
  readonly chooseFilesButton: Locator;
  readonly useSamplesButton: Locator;
  readonly cancelLoadingButton: Locator;
  readonly clearButton: Locator;
  readonly storedResolution: Locator;
  readonly progress: Locator;
  readonly imageCount: Locator;
  readonly skippedList: Locator;
  readonly skippedItems: Locator;
  readonly thumbnailGrid: Locator;
  readonly folderQuestion: Locator;
  readonly folderAnswer: Locator;

  constructor(readonly page: Page) {
    this.dropZone = page.getByTestId('drop-zone');
    this.folderInput = page.getByTestId('folder-input');
    this.filesInput = page.getByTestId('files-input');
    this.chooseFolderButton = page.getByRole('button', { name: 'Choose folder', exact: true });
    this.chooseFilesButton = page.getByRole('button', { name: 'Choose files', exact: true });
    this.useSamplesButton = page.getByRole('button', { name: 'Use sample images', exact: true });
    this.cancelLoadingButton = page.getByRole('button', { name: 'Cancel loading', exact: true });
    this.clearButton = page.getByRole('button', { name: 'Clear images', exact: true });
    this.storedResolution = page.getByLabel('Stored resolution (px)', { exact: true });
    this.progress = page.getByTestId('ingest-progress');
    this.imageCount = page.getByTestId('image-count');
    this.skippedList = page.getByTestId('skipped-list');
    this.skippedItems = this.skippedList.locator('li');
    this.thumbnailGrid = page.getByTestId('thumbnail-grid');
    this.folderQuestion = page.getByTestId('folder-labels-question');
    this.folderAnswer = page.getByTestId('folder-labels-answer');
  }

  /** Cells of the thumbnail grid, whatever draws them. */
  get thumbnails(): Locator {
    return this.thumbnailGrid.locator('canvas, img, [role="gridcell"], [role="img"]');
  }

  /** The thumbnail of the image loaded from `path` (its accessible name is the path). */
  thumbnail(path: string): Locator {
    return this.thumbnailGrid.getByRole('img', { name: path, exact: true });
  }

  /** Mean RGB of the top and bottom halves of a thumbnail, read back from its canvas. */
  async thumbnailHalves(path: string): Promise<{ top: number[]; bottom: number[] }> {
    return this.thumbnail(path).evaluate((canvas: HTMLCanvasElement) => {
      const { width, height } = canvas;
      const data = canvas.getContext('2d')?.getImageData(0, 0, width, height).data ?? new Uint8ClampedArray(0);
      const mean = (y0: number, y1: number) => {
        const sum = [0, 0, 0];
        for (let y = y0; y < y1; y++)
          for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) sum[c]! += data[(y * width + x) * 4 + c]!;
        return sum.map((v) => Math.round(v / ((y1 - y0) * width)));
      };
      return { top: mean(0, height / 2), bottom: mean(height / 2, height) };
    });
  }

  /** The skipped-list item naming `path`. */
  skippedItem(path: string): Locator {
    return this.skippedItems.filter({ has: this.page.locator('code', { hasText: path }) });
  }

  /** Answers "Are the folder names labels?" (asked once per data set whose images are in several folders). */
  async answerFolderLabels(areLabels: boolean): Promise<void> {
    const name = areLabels ? 'Yes, use them for evaluation only' : 'No, they are just folders';
    await this.folderQuestion.getByRole('button', { name, exact: true }).click();
    await expect(this.folderAnswer).toHaveAttribute('data-answer', areLabels ? 'labels' : 'folders');
  }

  async setStoredResolution(px: number): Promise<void> {
    await this.storedResolution.fill(String(px));
    await this.storedResolution.blur();
    await expect(this.storedResolution).toHaveValue(String(px));
  }

  /** Sets a whole folder on the `<input webkitdirectory>`, as a person choosing it in the dialog. */
  async loadFolder(dir: string): Promise<void> {
    await this.folderInput.setInputFiles(dir);
  }

  /** Loads the folder `dir` stored at `px` pixels and waits until its `count` images are loaded. */
  async loadFolderAt(px: number, dir: string, count: number): Promise<void> {
    await this.setStoredResolution(px);
    await this.loadFolder(dir);
    await this.expectCount(count);
  }

  async loadFiles(paths: string[]): Promise<void> {
    await this.filesInput.setInputFiles(paths);
  }

  /**
   * Simulates dropping files on the drop zone: a DataTransfer built in the page with File objects made
   * from the files' bytes, then dragenter, dragover and drop. (Directory entries of a real drop cannot be
   * synthesized; the folder walker is unit-tested with fake entries instead.)
   */
  async dropFiles(paths: string[]): Promise<void> {
    const files = paths.map((p) => ({ name: basename(p), base64: readFileSync(p).toString('base64') }));
    const dataTransfer = await this.page.evaluateHandle((list) => {
      const dt = new DataTransfer();
      for (const { name, base64 } of list) {
        const bin = atob(base64);
        const bytes = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
        const type = name.endsWith('.png') ? 'image/png' : '';
        dt.items.add(new File([bytes], name, { type, lastModified: 0 }));
      }
      return dt;
    }, files);
    for (const type of ['dragenter', 'dragover', 'drop'] as const) {
      await this.dropZone.dispatchEvent(type, { dataTransfer });
    }
    await dataTransfer.dispose();
  }

  /** Images loaded according to the image-count text ("N images loaded", "1 image loaded", "No images ..."). */
  async count(): Promise<number> {
    const text = ((await this.imageCount.textContent()) ?? '').trim();
    if (/^no images/i.test(text)) return 0;
    const match = /^([\d,]+)\s+images?\s+loaded/i.exec(text);
    if (!match) throw new Error(`image-count has unexpected text: "${text}"`);
    return Number(match[1]!.replaceAll(',', ''));
  }

  async expectCount(n: number, timeout = 60_000): Promise<void> {
    const text =
      n === 0 ? 'No images loaded yet' : n === 1 ? '1 image loaded' : `${n.toLocaleString('en-US')} images loaded`;
    await expect(this.imageCount).toHaveText(text, { timeout });
  }
}
