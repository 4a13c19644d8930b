import { expect, type Locator, type Page } from '@playwright/test';
import { openDetails } from './layout';

/** The Train step's augmentation: presets, image choice, 8 pairs of views, sliders (folded). */
export class AugmentPreviewPanel {
  readonly root: Locator;
  readonly status: Locator;
  readonly applied: Locator;
  readonly views: Locator;
  readonly imageNumber: Locator;

  constructor(readonly page: Page) {
    this.root = page.locator('fieldset.augment-preview');
    this.status = page.getByTestId('augment-preview-status');
    this.applied = page.getByTestId('augment-applied');
    this.views = this.root.getByRole('img');
    this.imageNumber = page.getByLabel('Preview image number', { exact: true });
  }

  slider(label: string): Locator {
    return this.root.getByRole('slider', { name: label, exact: true });
  }

  /** Sets a range input as a person dragging it would (input + change events). */
  async setSlider(label: string, value: number): Promise<void> {
    await openDetails(this.page, 'Augmentation parameters');
    const slider = this.slider(label);
    await slider.fill(String(value));
    await expect(slider).toHaveValue(String(value));
  }

  async preset(name: 'SimCLR ImageNet' | 'SimCLR CIFAR' | 'Light'): Promise<void> {
    await this.root.getByRole('button', { name, exact: true }).click();
    await expect(this.root.getByRole('button', { name, exact: true })).toHaveAttribute('aria-pressed', 'true');
  }

  async chooseImage(oneBased: number): Promise<void> {
    await this.imageNumber.fill(String(oneBased));
  }

  /** Waits until the views on screen answer the latest request (status names the engine). */
  async waitForViews(engine: RegExp = /made by/, timeout = 120_000): Promise<void> {
    await expect(this.status).toHaveText(engine, { timeout });
    await expect(this.views).toHaveCount(16);
  }

  /** RGBA bytes of every view, in order (pair p is views 2p and 2p + 1). */
  async pixels(): Promise<number[][]> {
    return this.views.evaluateAll((canvases) =>
      (canvases as HTMLCanvasElement[]).map((canvas) => {
        const context = canvas.getContext('2d');
        if (!context) return [];
        return Array.from(context.getImageData(0, 0, canvas.width, canvas.height).data);
      }),
    );
  }

  /** Resolves when the views change from `before` (a new answer arrived). */
  async waitForChange(before: number[][], timeout = 120_000): Promise<number[][]> {
    let after = before;
    await expect
      .poll(
        async () => {
          await this.waitForViews();
          after = await this.pixels();
          return JSON.stringify(after) !== JSON.stringify(before);
        },
        { timeout, message: 'the preview redraws with new views' },
      )
      .toBe(true);
    return after;
  }
}

/** True when every pixel of every view has R = G = B. */
export function allGray(views: number[][]): boolean {
  return views.every((view) => {
    for (let p = 0; p < view.length; p += 4) if (view[p] !== view[p + 1] || view[p + 1] !== view[p + 2]) return false;
    return true;
  });
}
