import { expect, test } from './support/app';
import { ACCEPTED, BAD_INPUTS_DIR, DUPLICATES, ONE_IMAGE_DIR, SKIPPED } from './support/bad-input-fixtures';

// WebGPU, as before the backend comparison (it picked WebGPU when available); no comparison here.
test.use({ appQuery: '?backend=webgpu' });

/** Paths from a folder input start with the chosen folder's name. */
const inFolder = (path: string) => `bad-inputs/${path}`;

test.describe('Bad inputs', () => {
  test('every bad file is listed with its reason and the good ones load', async ({ app }) => {
    const { data } = app;
    await data.loadFolder(BAD_INPUTS_DIR);

    await test.step('count: every accepted file once, the duplicate not again', async () => {
      await data.expectCount(ACCEPTED.length + 1, 120_000);
      await expect(data.skippedItems).toHaveCount(SKIPPED.length + 1);
    });

    await test.step('each skipped file names its reason', async () => {
      for (const { path, reason } of SKIPPED) {
        const item = data.skippedItem(inFolder(path));
        await expect(item, `${path} is listed once`).toHaveCount(1);
        await expect(item.locator('.reason'), `${path}: reason`).toHaveText(reason);
      }
      const [first, second] = DUPLICATES.map(inFolder) as [string, string];
      const duplicate = data.skippedItems.filter({ hasText: /duplicate/i });
      await expect(duplicate).toHaveCount(1);
      // Whichever of the two was read second is skipped, naming the first.
      const text = (await duplicate.textContent()) ?? '';
      expect(text.includes(first) && text.includes(second), `"${text}" names both copies`).toBe(true);
    });

    await test.step('each accepted file has a thumbnail (odd names and 10-deep folders included)', async () => {
      for (const path of ACCEPTED) await expect(data.thumbnail(inFolder(path)), path).toHaveCount(1);
    });

    await test.step('pixels: EXIF orientation honoured, first GIF frame, CMYK converted', async () => {
      // Stored 32 x 16 (left red, right blue) with orientation 6: upright, red is on top.
      const exif = await data.thumbnailHalves(inFolder('exif-rotated.jpg'));
      expect(exif.top[0]!, `top ${exif.top}`).toBeGreaterThan(180);
      expect(exif.top[2]!, `top ${exif.top}`).toBeLessThan(80);
      expect(exif.bottom[2]!, `bottom ${exif.bottom}`).toBeGreaterThan(180);
      expect(exif.bottom[0]!, `bottom ${exif.bottom}`).toBeLessThan(80);
      const gif = await data.thumbnailHalves(inFolder('animated.gif'));
      expect(gif.top, 'the first frame (red), not the second (blue)').toEqual([255, 0, 0]);
      // Solid cyan in CMYK: little red, much green and blue.
      const cmyk = await data.thumbnailHalves(inFolder('cmyk.jpg'));
      expect(cmyk.top[0]!, `cmyk ${cmyk.top}`).toBeLessThan(100);
      expect(Math.min(cmyk.top[1]!, cmyk.top[2]!), `cmyk ${cmyk.top}`).toBeGreaterThan(150);
    });

    await expect(app.errorBanner).toHaveCount(0);
  });

  test('one image: Start is disabled and says NT-Xent needs at least two', async ({ app }) => {
    const { data, train } = app;
    await data.loadFolder(ONE_IMAGE_DIR);
    await data.expectCount(1);
    await expect(train.startButton).toBeDisabled();
    await expect(app.page.getByText(/NT-Xent contrasts each image with the others/i).first()).toBeVisible();
    await expect(app.page.getByText(/training needs at least 2/i).first()).toBeVisible();
  });
});
