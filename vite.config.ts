import { readFileSync } from 'node:fs';
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

export default defineConfig({
  plugins: [react(), cspForBuild],
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  worker: { format: 'es' },
  // Worker-only deps must be pre-bundled up front, or the dev server re-optimizes and reloads mid-session.
  optimizeDeps: {
    include: [
      '@tensorflow/tfjs',
      '@tensorflow/tfjs-backend-webgpu',
      '@tensorflow/tfjs-backend-wasm',
      // Imported by core/backend/wasm-threads.ts, which starts the threaded wasm module itself.
      '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js',
      '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js',
      'fflate',
      'uplot',
    ],
  },
  server: { headers: securityHeaders, port: 5173 },
  // The preview serves the CSP as a header as well: a dedicated worker takes its policy from its own
  // script's response headers, not from the page's meta tag (measured: without the header the worker
  // could fetch any host). Production hosting must send the same header.
  preview: { headers: { ...securityHeaders, 'Content-Security-Policy': contentSecurityPolicy }, port: 4173, open: false },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
