/** One Worker, created in one place: client/worker-client.ts (see DESIGN.md). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

// The import rules themselves are enforced for all of src/ by src/boundaries.test.ts.
describe('main-thread modules', () => {
  it('the training worker is created only in client/worker-client.ts (the UMAP layout worker only in its client)', () => {
    const creators = ['client', 'store', 'ui'].flatMap((m) =>
      sourceFiles(join(SRC, m)).filter((f) => /new\s+Worker\s*\(/.test(readFileSync(f, 'utf8'))),
    );
    expect(creators.map((f) => relative(SRC, f)).sort()).toEqual(
      [join('client', 'evaluation', 'umap-client.ts'), join('client', 'worker-client.ts')].sort(),
    );
  });
});
