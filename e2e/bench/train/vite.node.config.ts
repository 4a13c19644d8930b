import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// `npm run bench:node`: bundles node-runner.ts (and the engine code it shares with the page) for Node
// into dist/bench-node/. tfjs and the `webgpu` package stay external and load from node_modules.
// BENCH_NODE_STANDALONE=1 inlines tfjs too (3.9 MB), so that a GPU machine with no npm and no
// node_modules needs only this folder, a node binary and node_modules/webgpu (README.md beside this file).
const standalone = process.env.BENCH_NODE_STANDALONE === '1';

export default defineConfig({
  root: fileURLToPath(new URL('../../..', import.meta.url)),
  logLevel: 'warn',
  define: { __APP_VERSION__: JSON.stringify('bench') },
  publicDir: false,
  ...(standalone ? { ssr: { noExternal: true, external: ['webgpu'] } } : {}),
  build: {
    ssr: fileURLToPath(new URL('./node-runner.ts', import.meta.url)),
    outDir: fileURLToPath(new URL('../../../dist/bench-node', import.meta.url)),
    emptyOutDir: true,
    target: 'node20',
  },
});
