import { execFileSync } from 'node:child_process';

/**
 * The port of the app server that this test (or bench) run starts itself.
 *
 * Picked once per run, by the runner that loads the Playwright config: a free port the OS hands out,
 * stored in SIMCLR_TEST_PORT so that Playwright's worker processes (which inherit the runner's
 * environment) and the webServer command agree on it. A fixed port could be held by another program on a
 * developer's machine (another app on 4173, say), and reusing whatever answers there would test that
 * program instead of this one; so the server is always ours (`reuseExistingServer: false`, `--strictPort`).
 * Set SIMCLR_TEST_PORT yourself to pin it.
 */
export function testServerPort(): number {
  process.env.SIMCLR_TEST_PORT ??= execFileSync(
    process.execPath,
    [
      '-e',
      "const s=require('node:net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})",
    ],
    { encoding: 'utf8' },
  ).trim();
  const port = Number(process.env.SIMCLR_TEST_PORT);
  if (!Number.isInteger(port) || port <= 0)
    throw new Error(`SIMCLR_TEST_PORT is not a port: ${process.env.SIMCLR_TEST_PORT}`);
  return port;
}

/** `vite preview` of the production build on the run's own port; fails if the port is taken. */
export function previewCommand(): string {
  return `npx vite preview --host localhost --port ${testServerPort()} --strictPort`;
}
