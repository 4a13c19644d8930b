import { TINY_RUN } from './pages/TrainPanel';
import { expect, test } from './support/app';
import { SHAPES_DIR, SHAPES_PNG_COUNT } from './support/fixtures';

// The backend this spec uses, from the first page load on: no backend comparison.
test.use({ appQuery: '?backend=wasm' });

// The CPU fallback: tfjs-backend-wasm with SIMD and XNNPACK's thread pool (core/backend/wasm-threads.ts).
// The thread count in the backend line is what the wasm module reports (get_threads_count), not a guess.

const MAX_WASM_THREADS = 8;

// Both tests set things up before the page loads: they take `unopenedApp` and open it themselves.

test('wasm backend trains with one thread per core when the page is cross-origin isolated', async ({
  unopenedApp: app,
}) => {
  test.setTimeout(180_000);
  const { page, data, train } = app;
  const blobWorkers: string[] = [];
  const kernelThreads: string[] = [];
  page.on('worker', (worker) => {
    if (worker.url().startsWith('blob:')) blobWorkers.push(worker.url());
    if (worker.url().includes('kernel-thread')) kernelThreads.push(worker.url());
  });
  await app.open();
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  test.skip(cores < 2, 'one logical core: nothing to thread');
  expect(await page.evaluate(() => self.crossOriginIsolated), 'the preview server sends COOP/COEP').toBe(true);

  await data.loadFolderAt(16, SHAPES_DIR, SHAPES_PNG_COUNT);
  await train.expectBackend('wasm');
  const reason = await train.backendReason();
  const threads = Number(/SIMD, (\d+) threads/.exec(reason)?.[1]);
  expect(threads, `backend line: ${reason}`).toBe(Math.min(cores, MAX_WASM_THREADS));
  // The threaded build's pthreads are blob: workers started by the training worker.
  expect(blobWorkers.length, 'pthread workers were started').toBeGreaterThanOrEqual(threads - 1);

  await train.configure({ ...TINY_RUN, trainFor: 5, metricsEvery: 1 });
  await train.startButton.click();
  await train.expectPhase('done', 150_000);
  expect(await train.step()).toBe(5);
  // Our own kernels' threads (core/kernels/wasm-simd), one fewer than XNNPACK's: the training worker is one.
  await expect.poll(() => kernelThreads.length, { message: 'kernel threads were started' }).toBe(threads - 1);
  expect(Number.isFinite(Number(await train.lossValue.textContent()))).toBe(true);
  expect(app.problems, app.problems.join('\n')).toEqual([]);
});

test('without cross-origin isolation the wasm backend runs on one thread and says why', async ({
  unopenedApp: app,
}) => {
  test.setTimeout(180_000);
  const { page, data, train } = app;
  // Serve the page as a host without COOP/COEP would: SharedArrayBuffer, and so threads, are unavailable.
  await page.route(
    (url) => url.pathname === '/' || url.pathname === '/index.html',
    async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers['cross-origin-opener-policy'];
      delete headers['cross-origin-embedder-policy'];
      await route.fulfill({ response, headers });
    },
  );
  await app.open();
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(false);

  await data.loadFolderAt(16, SHAPES_DIR, SHAPES_PNG_COUNT);
  await train.expectBackend('wasm');
  expect(await train.backendReason()).toMatch(/1 thread: the page is not cross-origin isolated/);

  await train.configure({ ...TINY_RUN, trainFor: 3, metricsEvery: 1 });
  await train.startButton.click();
  await train.expectPhase('done', 150_000);
  expect(await train.step()).toBe(3);
});
