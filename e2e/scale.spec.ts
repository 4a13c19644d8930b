import { expect, test } from './support/app';
import { manyPngsFolder } from './support/many-images';

// WebGPU, as before the backend comparison (it picked WebGPU when available); no comparison here.
test.use({ appQuery: '?backend=webgpu' });

const COUNT = 50_000;
/** Decoded before Cancel is pressed (the full 50,000 and the thumbnail cap are the bench's). */
const BEFORE_CANCEL = 1_500;
const THUMBNAIL_CAP = 10_000;

// A folder of 50,000 distinct images chosen at once: progress counts up, the page keeps answering input, and
// Cancel stops the decoding and keeps what was decoded. The whole 50,000 are decoded by `npm run bench`
// (ingest.bench.ts), which measures the rate and the JS heap and checks the thumbnail cap.
test('a folder of 50,000 images: progress, a responsive page, Cancel', async ({ app }) => {
  test.setTimeout(240_000);
  const { data, train, page } = app;
  await data.setStoredResolution(16);
  await data.loadFolder(manyPngsFolder(COUNT));

  await test.step('progress counts up out of 50,000', async () => {
    await expect(data.progress).toBeVisible({ timeout: 60_000 });
    await expect(data.progress).toHaveAttribute('max', String(COUNT));
    await expect(page.getByText(new RegExp(`Decoding [\\d,]+ / ${COUNT}`))).toBeVisible();
  });

  await test.step('the page answers input while decoding', async () => {
    await train.openAdvanced();
    const seed = train.field('Seed');
    await seed.fill('1234');
    await seed.blur();
    await expect(seed).toHaveValue('1234');
    await expect(data.progress).toBeVisible(); // still decoding: the input was handled meanwhile
  });

  await test.step('Cancel stops decoding and keeps what was decoded', async () => {
    await expect
      .poll(async () => Number(await data.progress.getAttribute('value')), { timeout: 180_000 })
      .toBeGreaterThan(BEFORE_CANCEL);
    await data.cancelLoadingButton.click();
    await expect(data.progress).toBeHidden({ timeout: 30_000 });
    const result = page.getByText(/Loading cancelled: added ([\d,]+) images/);
    await expect(result).toBeVisible();
    const added = Number(/added ([\d,]+)/.exec((await result.textContent()) ?? '')?.[1]?.replaceAll(',', ''));
    expect(added).toBeGreaterThan(BEFORE_CANCEL);
    expect(added).toBeLessThan(COUNT);
    expect(await data.count()).toBe(added);
    // The decoding really stopped: the count holds.
    await page.waitForTimeout(2_000);
    expect(await data.count()).toBe(added);
    // Thumbnails are capped at the first 10,000 images (src/worker/ingest.ts MAX_THUMBNAILS).
    await expect(data.thumbnailGrid).toHaveAttribute('data-count', String(Math.min(added, THUMBNAIL_CAP)));
    await expect(app.errorBanner).toHaveCount(0);
  });
});
