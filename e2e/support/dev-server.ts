import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, createServer, type ViteDevServer } from 'vite';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A Vite dev server of this repository, started by a test on its own port with an empty dependency cache. */
export interface DevServer {
  url: string;
  /** Everything the dev server logged (info, warnings, errors), in order. */
  log: string[];
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Starts `vite` (the repository's vite.config.ts, as `npm run dev` does) on a free port, with a fresh
 * temporary cacheDir so that every dependency is optimized from nothing, as on a fresh clone.
 */
export async function startDevServer(): Promise<DevServer> {
  const cacheDir = mkdtempSync(join(tmpdir(), 'simclr-tab-vite-cache-'));
  const log: string[] = [];
  const logger = createLogger('info', { allowClearScreen: false });
  for (const level of ['info', 'warn', 'warnOnce', 'error'] as const) {
    const original = logger[level].bind(logger);
    logger[level] = (message, options) => {
      log.push(message);
      original(message, options);
    };
  }
  const port = await freePort();
  let server: ViteDevServer | null = null;
  try {
    server = await createServer({
      root: REPO_ROOT,
      configFile: join(REPO_ROOT, 'vite.config.ts'),
      cacheDir,
      customLogger: logger,
      clearScreen: false,
      server: { host: 'localhost', port, strictPort: true },
    });
    await server.listen();
  } catch (error) {
    await server?.close();
    rmSync(cacheDir, { recursive: true, force: true });
    throw error;
  }
  const started = server;
  return {
    url: `http://localhost:${port}`,
    log,
    close: async () => {
      await started.close();
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}
