import type { Page, Request, Worker } from '@playwright/test';
import { TINY_RUN } from './pages/TrainPanel';
import { expect, test } from './support/app';
import { SHAPES_DIR, SHAPES_PNG_COUNT } from './support/fixtures';

// The backend this spec uses, from the first page load on: no backend comparison.
test.use({ appQuery: '?backend=wasm' });

const REMOTE = 'https://example.com/collect';

/** Tries a remote fetch and a remote script where `run` evaluates; returns the CSP violations seen. */
async function probeCsp(
  run: <T>(fn: (remote: string) => Promise<T>, remote: string) => Promise<T>,
): Promise<{ fetchFailed: boolean; violations: string[] }> {
  return run(async (remote: string) => {
    const violations: string[] = [];
    const scope = globalThis as unknown as EventTarget;
    const listener = (event: Event) => {
      const e = event as SecurityPolicyViolationEvent;
      violations.push(`${e.effectiveDirective} ${e.blockedURI}`);
    };
    scope.addEventListener('securitypolicyviolation', listener);
    let fetchFailed = false;
    try {
      await fetch(remote, { method: 'POST', body: 'pixels' });
    } catch {
      fetchFailed = true;
    }
    if (typeof document !== 'undefined') {
      await new Promise<void>((resolve) => {
        const script = document.createElement('script');
        script.src = `${remote}.js`;
        script.onerror = () => resolve();
        script.onload = () => resolve();
        document.head.append(script);
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 100)); // violation events are queued as tasks
    scope.removeEventListener('securitypolicyviolation', listener);
    return { fetchFailed, violations };
  }, REMOTE);
}

function origin(url: string): string {
  if (url.startsWith('data:')) return 'data:';
  return new URL(url).origin; // blob:http://host/uuid has the page's origin
}

// Requests are recorded from before the first load: the test takes `unopenedApp` and opens it itself.
test('a whole session (load, train, export) requests nothing outside its own origin', async ({
  unopenedApp: app,
  context,
}) => {
  const { page, data, train, exporter } = app;
  test.setTimeout(240_000);
  const requests: { url: string; fromWorker: boolean }[] = [];
  const record = (request: Request) => requests.push({ url: request.url(), fromWorker: !!request.serviceWorker() });
  context.on('request', record);
  const failed = new Map<string, string>();
  context.on('requestfailed', (request) => failed.set(request.url(), request.failure()?.errorText ?? ''));
  const workers: Worker[] = [];
  page.on('worker', (worker) => workers.push(worker));

  // The wasm backend fetches its binary from inside the worker: worker requests are recorded too.
  await app.open();

  await test.step('load: a folder and the bundled sample set', async () => {
    await data.loadFolderAt(16, SHAPES_DIR, SHAPES_PNG_COUNT);
    await data.useSamplesButton.click();
    await expect.poll(() => data.count(), { timeout: 120_000 }).toBeGreaterThan(SHAPES_PNG_COUNT + 500);
    await expect(data.progress).toBeHidden({ timeout: 120_000 });
  });

  await test.step('train a few steps', async () => {
    await train.configure({ ...TINY_RUN, trainFor: 3 });
    await train.startButton.click();
    await train.expectBackend('wasm');
    await train.expectPhase('done', 120_000);
  });

  await test.step('export the encoder', async () => {
    const zip = await exporter.downloadEncoder();
    expect(zip.bytes.length).toBeGreaterThan(0);
  });

  await test.step('every request stayed on the page origin', async () => {
    const own = new URL(page.url()).origin;
    const urls = requests.map((r) => r.url);
    expect(
      urls.some((u) => u.endsWith('.wasm')),
      'the worker fetched the wasm binary (worker requests are seen)',
    ).toBe(true);
    const foreign = urls.filter((u) => origin(u) !== own && origin(u) !== 'data:');
    expect(foreign, `requests: ${urls.join('\n')}`).toEqual([]);
  });

  await test.step('the Content-Security-Policy blocks remote connections and scripts, in the page and the worker', async () => {
    const inPage = await probeCsp((fn, remote) => (page as Page).evaluate(fn, remote));
    expect(inPage.fetchFailed).toBe(true);
    expect(inPage.violations).toEqual(
      expect.arrayContaining([`connect-src ${REMOTE}`, `script-src-elem ${REMOTE}.js`]),
    );
    const worker = workers.find((w) => w.url().includes('worker'));
    expect(worker, 'the training worker is running').toBeDefined();
    const inWorker = await probeCsp((fn, remote) => worker!.evaluate(fn, remote));
    expect(inWorker.fetchFailed).toBe(true);
    expect(inWorker.violations).toEqual([`connect-src ${REMOTE}`]);
    // Chromium reports the blocked script as a request that failed with reason "csp": nothing left.
    for (const url of requests.map((r) => r.url).filter((u) => u.startsWith(REMOTE)))
      expect(failed.get(url), url).toMatch(/csp/i);
  });
});
