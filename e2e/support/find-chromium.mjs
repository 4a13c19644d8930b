// Picks the Chromium that Playwright launches, in this order:
//   1. $CHROMIUM_PATH, when set (it must exist);
//   2. a Chromium installed by `npx playwright install chromium`, when its executable exists;
//   3. the distribution's /usr/bin/chromium (Debian/Ubuntu package `chromium`).
// Playwright cannot download browsers on every machine (no network), so the system package is the usual
// source here. Run `node e2e/support/find-chromium.mjs` to print the path it picks, or the install command.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

export const INSTALL_HINT =
  'No Chromium found for the end-to-end tests. Install one with\n' +
  '  sudo apt-get install -y chromium      (Debian/Ubuntu)\n' +
  'or\n' +
  '  npx playwright install chromium\n' +
  'or point CHROMIUM_PATH at a Chromium/Chrome executable.';

function playwrightChromium() {
  try {
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** @returns {string} the absolute path of the Chromium executable to use; throws with INSTALL_HINT if none. */
export function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist.\n${INSTALL_HINT}`);
    return fromEnv;
  }
  const bundled = playwrightChromium();
  if (bundled) return bundled;
  if (existsSync(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM;
  throw new Error(INSTALL_HINT);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    console.log(findChromium());
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
