/**
 * A Chromium whose tabs really go to the background. Playwright's own launch keeps every page
 * "visible" (it turns on focus emulation, and passes --disable-renderer-backgrounding and friends), so
 * a tab brought behind another still reports document.visibilityState 'visible'. Here Chromium is
 * started by us without those flags and attached with connectOverCDP({noDefaults: true}): a second tab
 * opened in front makes the first one hidden, as when a person switches tabs (measured).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium } from '@playwright/test';
import { WEBGPU_ARGS } from './browser';
import { findChromium } from './find-chromium.mjs';

export interface RealTabsBrowser {
  browser: Browser;
  context: BrowserContext;
  close(): Promise<void>;
}

async function devtoolsPort(profile: string, child: ChildProcess): Promise<number> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`Chromium exited with code ${child.exitCode}`);
    try {
      const port = Number(readFileSync(join(profile, 'DevToolsActivePort'), 'utf8').split('\n')[0]);
      if (port > 0) return port;
    } catch {
      // not written yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('Chromium did not open its DevTools port');
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill();
  });
}

/**
 * Chromium's helper processes (crashpad, GPU) may still write into the profile for a moment after the
 * browser exits: retry, then leave the temporary folder to the OS rather than fail a passed test.
 */
async function removeProfile(profile: string): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      rmSync(profile, { recursive: true, force: true });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

export async function launchWithRealTabs(): Promise<RealTabsBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'simclr-tabs-'));
  const child = spawn(
    findChromium(),
    ['--headless', ...WEBGPU_ARGS, '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'],
    { stdio: 'ignore' },
  );
  try {
    const port = await devtoolsPort(profile, child);
    const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`, { noDefaults: true });
    const context = browser.contexts()[0];
    if (!context) throw new Error('no default browser context');
    return {
      browser,
      context,
      async close() {
        await browser.close().catch(() => undefined);
        await stop(child);
        await removeProfile(profile);
      },
    };
  } catch (error) {
    await stop(child);
    await removeProfile(profile);
    throw error;
  }
}
