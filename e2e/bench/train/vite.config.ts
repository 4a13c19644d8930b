import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Built by train.bench.ts into dist/bench-train/, next to the app, so `vite preview` serves it with the
// app's headers (cross-origin isolation, which the threaded wasm backend needs).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'warn',
  define: { __APP_VERSION__: JSON.stringify('bench') },
  // As the app's: module workers (the wasm cases' worker starts our kernel threads from inside it).
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL('../../../dist/bench-train', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 8000,
  },
});
