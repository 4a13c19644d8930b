import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Built by augment.bench.ts into dist/bench-augment/, next to the app, so `vite preview` serves it.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'warn',
  define: { __APP_VERSION__: JSON.stringify('bench') },
  build: {
    outDir: fileURLToPath(new URL('../../../dist/bench-augment', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 8000,
  },
});
