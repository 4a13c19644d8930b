import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// `npm run bench:node`: bundles node-runner.ts (and the engine code it shares with the page) for Node
// into dist/bench-node/. tfjs and the `webgpu` package stay external and load from node_modules.
export default defineConfig({
  root: fileURLToPath(new URL('../../..', import.meta.url)),
  logLevel: 'warn',
  define: { __APP_VERSION__: JSON.stringify('bench') },
  publicDir: false,
  build: {
    ssr: fileURLToPath(new URL('./node-runner.ts', import.meta.url)),
    outDir: fileURLToPath(new URL('../../../dist/bench-node', import.meta.url)),
    emptyOutDir: true,
    target: 'node20',
  },
});
