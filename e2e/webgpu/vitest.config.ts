import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run test:webgpu`: WebGPU kernels against their TypeScript references in Dawn (Node).
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['e2e/webgpu/**/*.gpu-test.ts'],
    setupFiles: ['e2e/webgpu/dawn-setup.ts'],
    environment: 'node',
    testTimeout: 120_000,
    pool: 'forks',
  },
});
