/**
 * The main-thread modules' import rules (see DESIGN.md): client -> protocol only (never tfjs, so tfjs stays
 * out of the main bundle); store -> protocol, client; ui -> store, protocol.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const ALLOWED: Record<string, { modules: string[]; packages: RegExp }> = {
  client: { modules: ['client', 'protocol'], packages: /^fflate$/ },
  store: { modules: ['store', 'client', 'protocol'], packages: /^zustand(\/|$)/ },
  ui: {
    modules: ['ui', 'store', 'protocol'],
    packages: /^(react|react-dom|react\/jsx-runtime|uplot|@tanstack\/react-virtual)(\/|$)/,
  },
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

function imports(source: string): string[] {
  const found: string[] = [];
  const pattern =
    /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;
  for (const match of source.matchAll(pattern)) found.push((match[1] ?? match[2] ?? match[3]) as string);
  return found;
}

describe('module boundaries', () => {
  for (const [module, rule] of Object.entries(ALLOWED)) {
    it(`${module}/ imports only ${rule.modules.join(', ')} and its packages`, () => {
      const violations: string[] = [];
      for (const file of sourceFiles(join(SRC, module))) {
        for (const spec of imports(readFileSync(file, 'utf8'))) {
          if (spec.startsWith('.')) {
            const target = relative(SRC, resolve(dirname(file), spec)).split(/[\\/]/)[0] ?? '';
            if (!rule.modules.includes(target)) violations.push(`${relative(SRC, file)} -> ${spec}`);
          } else if (!rule.packages.test(spec)) {
            violations.push(`${relative(SRC, file)} -> ${spec}`);
          }
        }
      }
      expect(violations).toEqual([]);
    });
  }

  it('the worker is created only in client/worker-client.ts', () => {
    const creators = ['client', 'store', 'ui'].flatMap((m) =>
      sourceFiles(join(SRC, m)).filter((f) => /new\s+Worker\s*\(/.test(readFileSync(f, 'utf8'))),
    );
    expect(creators.map((f) => relative(SRC, f))).toEqual([join('client', 'worker-client.ts')]);
  });
});
