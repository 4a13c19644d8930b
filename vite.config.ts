import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

// Cross-origin isolation lets the wasm fallback use threads; every resource is same-origin, so
// require-corp costs nothing. The CSP forbids remote connections and scripts: images never leave the machine.
const securityHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// Applied to the built app only: the dev server's React refresh preamble is an inline script.
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self' blob: data:",
  "img-src 'self' blob: data:",
  "style-src 'self' 'unsafe-inline'",
].join('; ');

const cspForBuild: Plugin = {
  name: 'csp-for-build',
  apply: 'build',
  transformIndexHtml: () => [
    {
      tag: 'meta',
      attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy },
      injectTo: 'head-prepend',
    },
  ],
};

/**
 * The entry file of every `new Worker(new URL('...', import.meta.url))` under src, found in the sources so
 * that a new worker cannot be forgotten. The dev server's dependency scan starts from index.html and does
 * not follow worker URLs: a package only a worker imports (umap-js, idb, ...) was found when the worker
 * first ran, and Vite then re-optimized and reloaded the page, losing the images and the run (issue 12).
 */
function workerEntries(): string[] {
  const projectRoot = dirname(fileURLToPath(import.meta.url));
  const root = join(projectRoot, 'src');
  const workerUrl = /new Worker\(\s*new URL\(\s*['"]([^'"]+)['"]\s*,\s*import\.meta\.url/g;
  const entries = new Set<string>();
  for (const name of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    if (!/\.tsx?$/.test(name) || name.includes('.test.')) continue;
    const file = join(root, name);
    for (const match of readFileSync(file, 'utf8').matchAll(workerUrl))
      entries.add(relative(projectRoot, join(dirname(file), match[1] ?? '')).replaceAll('\\', '/'));
  }
  return [...entries].sort();
}

export default defineConfig({
  plugins: [react(), cspForBuild],
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  worker: { format: 'es' },
  // Every dependency must be pre-bundled at start-up, or the dev server re-optimizes and reloads mid-session.
  optimizeDeps: { entries: ['index.html', ...workerEntries()] },
  server: { headers: securityHeaders, port: 5173 },
  // The preview serves the CSP as a header as well: a dedicated worker takes its policy from its own
  // script's response headers, not from the page's meta tag (measured: without the header the worker
  // could fetch any host). Production hosting must send the same header.
  preview: {
    headers: { ...securityHeaders, 'Content-Security-Policy': contentSecurityPolicy },
    port: 4173,
    open: false,
  },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    // Vitest runs files on all cores but one by default: on a 2-core machine, one at a time. Most files here
    // are single-threaded JavaScript (tfjs's CPU and unthreaded wasm backends), so two at a time on 2 cores
    // took 47 s where one took 88 s (config-probe, recipe-torchrun and pytorch-parity).
    maxWorkers: availableParallelism(),
  },
});
