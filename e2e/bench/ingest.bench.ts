import { test } from '@playwright/test';
import { DataPanel } from '../pages/DataPanel';
import { manyPngsFolder } from '../support/many-images';
import { PROFILE, report } from './report';

const COUNT = 50_000;
const STORE_SIZE = 32;

// A folder of 50,000 distinct 8 x 8 PNGs chosen through the folder input, decoded into the worker's store at 32 px.
// Peak JS heap is the page's (main thread) JSHeapUsedSize from CDP Performance.getMetrics, sampled
// every 200 ms. The worker's heap and typed arrays' backing stores (thumbnails, the worker's image
// store) are not in it; the thumbnail cap is checked directly.
test(`ingest ${COUNT} images`, async ({ page }) => {
  test.setTimeout(900_000);
  await page.goto('/?backend=wasm');
  const data = new DataPanel(page);
  await data.setStoredResolution(STORE_SIZE);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const heap = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
  };
  const baseline = await heap();
  let peak = baseline;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, await heap());
      await page.waitForTimeout(200);
    }
  })();
  // The longest task on the page's main thread while the files are handed over and decoded (Long Tasks API).
  await page.evaluate(() => {
    const w = window as unknown as { longestTaskMs: number };
    w.longestTaskMs = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.longestTaskMs = Math.max(w.longestTaskMs, entry.duration);
    }).observe({ type: 'longtask' });
  });
  const folder = manyPngsFolder(COUNT);
  const started = Date.now();
  await data.loadFolder(folder);
  await data.expectCount(COUNT, 880_000);
  const seconds = (Date.now() - started) / 1000;
  sampling = false;
  await sampler;
  const config = { images: COUNT, storeSize: STORE_SIZE, imageSide: 8, profile: PROFILE };
  report({ metric: 'ingest.images_per_s', value: COUNT / seconds, unit: 'images/s', ...config });
  const longestTaskMs = await page.evaluate(() => (window as unknown as { longestTaskMs: number }).longestTaskMs);
  report({ metric: 'ingest.longest_main_thread_task_ms', value: longestTaskMs, unit: 'ms', ...config });
  // Thumbnails are capped (src/worker/ingest.ts MAX_THUMBNAILS) so the page's memory stays bounded.
  const thumbnails = Number(await data.thumbnailGrid.getAttribute('data-count'));
  if (!(thumbnails > 0 && thumbnails <= 10_000)) throw new Error(`${thumbnails} thumbnails kept: the cap is 10,000`);
  report({ metric: 'ingest.thumbnails_kept', value: thumbnails, unit: 'thumbnails', ...config });
  report({
    metric: 'ingest.peak_js_heap_mb',
    value: peak / 2 ** 20,
    unit: 'MiB',
    baselineMb: baseline / 2 ** 20,
    ...config,
  });
});
