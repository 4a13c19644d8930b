import { defineConfig } from 'vitest/config';

// Quick CPU (wasm) measurements in Node, run by hand (not by `npm test`):
//   npx vitest run -c e2e/bench/cpu/vitest.config.ts
export default defineConfig({
  test: {
    include: ['e2e/bench/cpu/**/*.measure.ts'],
    environment: 'node',
    testTimeout: 1_800_000,
    fileParallelism: false,
  },
});
