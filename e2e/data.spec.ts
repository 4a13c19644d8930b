import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './support/app';
import { DROP_COUNT, DROP_DIR, SHAPES_DIR, SHAPES_INVALID_FILES, SHAPES_PNG_COUNT } from './support/fixtures';

// WebGPU, as before the backend comparison (it picked WebGPU when available); no comparison here.
test.use({ appQuery: '?backend=webgpu' });

test.describe('Data step', () => {
  test('loads a nested folder, lists skipped files with a reason, then accepts a drop', async ({ app }) => {
    const { data } = app;
    await data.expectCount(0);

    await test.step('folder input (webkitdirectory)', async () => {
      await data.loadFolder(SHAPES_DIR);
      await data.expectCount(SHAPES_PNG_COUNT);
      await expect(data.skippedItems).toHaveCount(SHAPES_INVALID_FILES.length);
      for (const name of SHAPES_INVALID_FILES) {
        const item = data.skippedItems.filter({ hasText: name });
        await expect(item, `${name} is listed as skipped`).toHaveCount(1);
        // What is left once the path is removed is the reason: it must say something.
        const reason = ((await item.textContent()) ?? '').replace(/\S*\/?[\w.-]+\.(txt|png)/g, '').trim();
        expect(reason, `${name} is skipped with a reason`).toMatch(/[a-z]{3,}/i);
      }
      await expect(data.thumbnails.first()).toBeVisible();
    });

    await test.step('simulated drop of files', async () => {
      const dropped = readdirSync(DROP_DIR).map((name) => join(DROP_DIR, name));
      expect(dropped).toHaveLength(DROP_COUNT);
      await data.dropFiles(dropped);
      await data.expectCount(SHAPES_PNG_COUNT + DROP_COUNT);
    });

    await expect(app.errorBanner).toHaveCount(0);
  });

  test('loads the sample images, then clears them', async ({ app }) => {
    const { data, train } = app;

    await test.step('Use sample images', async () => {
      await data.useSamplesButton.click();
      await expect
        .poll(() => data.count(), { timeout: 180_000, message: 'sample images load' })
        .toBeGreaterThanOrEqual(500);
      await expect(data.progress).toBeHidden({ timeout: 120_000 });
      await expect(data.thumbnails.first()).toBeVisible();
      expect(await data.thumbnails.count()).toBeGreaterThan(1);
      await expect(train.startButton).toBeEnabled();
    });

    await test.step('Clear images', async () => {
      await data.clearButton.click();
      await data.expectCount(0);
      await expect(data.thumbnails).toHaveCount(0);
      await expect(train.startButton).toBeDisabled();
      // The disabled Start says why: as its accessible description, its title, or text on the page.
      const description = await train.startButton.evaluate((button) => {
        const ids = button.getAttribute('aria-describedby')?.split(/\s+/) ?? [];
        const described = ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
        return `${described} ${button.getAttribute('title') ?? ''}`.trim();
      });
      if (description) expect(description).toMatch(/image/i);
      else await expect(app.page.getByText(/load at least 2 images/i).first()).toBeVisible();
    });
  });
});
