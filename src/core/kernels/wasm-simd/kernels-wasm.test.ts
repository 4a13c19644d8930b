import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain Node script (no types), run by `npm run build:wasm-kernels`.
import { GENERATED, generatedSource } from './compile.mjs';
import { KERNEL_NAMES } from './own-module';

describe('our WebAssembly kernels', () => {
  it('kernels-wasm.ts is what assembly/ compiles to (run `npm run build:wasm-kernels` after changing it)', async () => {
    expect(readFileSync(GENERATED, 'utf8')).toBe(await generatedSource());
  }, 60_000);

  it('names the kernels in the order the threads number them (sorted)', () => {
    expect([...KERNEL_NAMES]).toEqual([...KERNEL_NAMES].sort());
  });
});
