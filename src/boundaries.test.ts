/**
 * Module boundaries from shared/DESIGN.md ("Modules and what each may import"), enforced on every
 * .ts/.tsx file under src/. Imports are read with TypeScript's own pre-processor (static imports,
 * `export ... from`, `import type`, dynamic `import()`), so comments and strings cannot fool it.
 *
 *   protocol  imports nothing outside src/protocol
 *   core      protocol, @tensorflow/*
 *   worker    core, protocol, @tensorflow/*, idb (checkpoint storage)
 *   client    protocol and non-tfjs libraries (fflate, ...); never @tensorflow/*, core, worker, store, ui
 *             (it starts the worker with `new URL('../worker/….ts', import.meta.url)`, which is not an import;
 *             a Vite `?worker` import of src/worker is allowed for the same reason; pytorch/ files may be
 *             imported as `?raw` text, which the recipe download bundles)
 *   store     protocol, client, zustand
 *   ui        store, protocol, client, react, react-dom, uplot, @tanstack/*, zustand (for useShallow)
 *   src/*     the entry (main.tsx): ui, store, client, protocol, react, react-dom
 *
 * Type-only imports count too: shared types belong in protocol. Test files (*.test.ts[x]) and test
 * helpers (testing/, test-fixtures.ts) may also import vitest and node: built-ins. Relative imports within the same module are always allowed
 * (including .json and .css files); anything resolving outside src/ is rejected.
 *
 * One place for each rule (the second describe): the training step is called only by the Trainer
 * (core/train/trainer.ts), the current run is replaced only by worker/current-run.ts, error messages are
 * read only by worker/faults.ts, and the steps of an epoch are counted only by protocol/config.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');

type Module = 'protocol' | 'core' | 'worker' | 'client' | 'store' | 'ui' | 'entry';

interface Rule {
  modules: Module[];
  /** Allowed package specifier (bare import) predicate. */
  packages: (name: string) => boolean;
  describe: string;
}

const isTf = (p: string) => p.startsWith('@tensorflow/');
const pkgIs =
  (...names: string[]) =>
  (p: string) =>
    names.includes(p);

const RULES: Record<Module, Rule> = {
  protocol: { modules: ['protocol'], packages: () => false, describe: 'nothing outside src/protocol' },
  core: { modules: ['core', 'protocol'], packages: isTf, describe: 'protocol and @tensorflow/*' },
  worker: {
    modules: ['worker', 'core', 'protocol'],
    // idb: checkpoints live in IndexedDB, written by the worker (src/worker/checkpoints).
    packages: (p) => isTf(p) || p === 'idb',
    describe: 'core, protocol, @tensorflow/* and idb',
  },
  client: {
    modules: ['client', 'protocol'],
    packages: (p) => !isTf(p),
    describe: 'protocol and non-tfjs libraries',
  },
  store: {
    modules: ['store', 'protocol', 'client'],
    packages: pkgIs('zustand'),
    describe: 'protocol, client, zustand',
  },
  ui: {
    modules: ['ui', 'store', 'protocol', 'client'],
    packages: (p) => pkgIs('react', 'react-dom', 'uplot', 'zustand')(p) || p.startsWith('@tanstack/'),
    describe: 'store, protocol, client, react, react-dom, uplot, @tanstack/*, zustand',
  },
  entry: {
    modules: ['entry', 'ui', 'store', 'client', 'protocol'],
    packages: pkgIs('react', 'react-dom'),
    describe: 'ui, store, client, protocol, react, react-dom',
  },
};

const MODULES = new Set<string>(['protocol', 'core', 'worker', 'client', 'store', 'ui']);

/** Module of a path relative to src/ (posix separators). */
function moduleOf(srcRelative: string): Module {
  const first = srcRelative.split('/')[0]!;
  return MODULES.has(first) ? (first as Module) : 'entry';
}

/** The package name of a bare specifier: 'react-dom/client' -> 'react-dom', '@tanstack/x/y' -> '@tanstack/x'. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

const isTestFile = (path: string) => /\.test\.tsx?$/.test(path);
/** Test files and the helpers only tests import (a testing/ folder, test-fixtures.ts). */
const isTestSupport = (path: string) => isTestFile(path) || /(^|\/)testing\/|(^|\/)test-fixtures\.ts$/.test(path);

/**
 * Why `file` (relative to src/, posix) may not import `specifier`, or null when it may.
 */
function checkImport(file: string, specifier: string): string | null {
  const from = moduleOf(file);
  const rule = RULES[from];
  const clean = specifier.split('?')[0]!;
  const query = specifier.includes('?') ? specifier.slice(specifier.indexOf('?') + 1) : '';
  const why = `src/${file} imports '${specifier}': ${from === 'entry' ? 'the app entry' : from} may import ${rule.describe}`;

  if (clean.startsWith('.') || clean.startsWith('/')) {
    const target = posix.normalize(posix.join(posix.dirname(file), clean));
    // The recipe download bundles the repository's PyTorch files as text (client/recipe): pytorch/ as ?raw only.
    if (from === 'client' && target.startsWith('../pytorch/') && query === 'raw') return null;
    if (target.startsWith('..') || clean.startsWith('/')) return `${why} (it resolves outside src/)`;
    const to = moduleOf(target);
    if (rule.modules.includes(to)) return null;
    // The client starts the worker; a Vite worker import bundles it separately and pulls nothing in.
    if (from === 'client' && to === 'worker' && /^worker(&|$)/.test(query)) return null;
    return why;
  }
  const pkg = packageName(clean);
  if (isTestSupport(file) && (pkg === 'vitest' || clean.startsWith('node:'))) return null;
  return rule.packages(pkg) ? null : why;
}

const THIS_FILE = fileURLToPath(import.meta.url);

/** Every .ts/.tsx file under dir, except this repository-wide check itself (it needs the TypeScript parser). */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && path !== THIS_FILE ? [path] : [];
  });
}

function importsOf(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

describe('module boundaries (shared/DESIGN.md)', () => {
  it('the rule rejects bad imports and accepts good ones (self-check)', () => {
    const bad: [string, string][] = [
      ['ui/TrainPanel.tsx', '@tensorflow/tfjs'],
      ['ui/TrainPanel.tsx', '../../core/model/resnet'],
      ['ui/TrainPanel.tsx', '../../worker/session'],
      ['client/worker-client.ts', '@tensorflow/tfjs-core'],
      ['client/worker-client.ts', '../core/export/zip'],
      ['client/worker-client.ts', '../store/training'],
      ['protocol/messages.ts', 'react'],
      ['protocol/messages.ts', '../core/loss/nt-xent'],
      ['core/loss/nt-xent.ts', 'react'],
      ['core/loss/nt-xent.ts', '../../worker/session'],
      ['core/loss/nt-xent.ts', '../../../package.json'],
      ['store/training.ts', 'react'],
      ['store/training.ts', '../ui/App'],
      ['worker/session.ts', '../client/worker-client'],
      ['worker/session.ts', 'vitest'],
      ['main.tsx', './core/model/resnet'],
      ['client/recipe/recipe-zip.ts', '../../../pytorch/recipe/train.py'],
      ['core/export/x.ts', '../../../pytorch/recipe/train.py?raw'],
    ];
    for (const [file, spec] of bad) expect(checkImport(file, spec), `${file} -> ${spec}`).toMatch(/imports/);
    expect(checkImport('ui/Panel.tsx', '@tensorflow/tfjs')).toContain("src/ui/Panel.tsx imports '@tensorflow/tfjs'");

    const good: [string, string][] = [
      ['protocol/messages.ts', './config'],
      ['core/loss/nt-xent.ts', '@tensorflow/tfjs'],
      ['core/loss/nt-xent.ts', '../../protocol/config'],
      ['core/loss/nt-xent.test.ts', './nt-xent.reference.json'],
      ['core/loss/nt-xent.test.ts', 'vitest'],
      ['core/loss/nt-xent.test.ts', 'node:fs'],
      ['worker/session.ts', '../core/train/loop'],
      ['worker/worker.ts', '@tensorflow/tfjs-backend-webgpu'],
      ['client/encoder-zip.ts', 'fflate'],
      ['client/worker-client.ts', '../worker/worker?worker'],
      ['client/recipe/recipe-zip.ts', '../../../pytorch/recipe/train.py?raw'],
      ['store/index.ts', 'zustand'],
      ['store/index.ts', 'zustand/react/shallow'],
      ['store/index.ts', '../client/worker-client'],
      ['ui/App.tsx', 'react'],
      ['ui/charts/LossChart.tsx', 'uplot'],
      ['ui/charts/LossChart.tsx', 'uplot/dist/uPlot.min.css'],
      ['ui/data/Grid.tsx', '@tanstack/react-virtual'],
      ['ui/data/Grid.tsx', '../../store'],
      ['main.tsx', 'react-dom/client'],
      ['main.tsx', './ui/App'],
    ];
    for (const [file, spec] of good) expect(checkImport(file, spec), `${file} -> ${spec}`).toBeNull();
  });

  it('reads every kind of import', () => {
    const src = `
      // import nope from 'commented';
      import a from 'a';
      import type { B } from "b";
      import { type C, d } from './c';
      import './side-effect.css';
      export { e } from '../e';
      export * from './f';
      const g = await import('g');
      const s = "import h from 'in-a-string'";
    `;
    expect(importsOf(src).sort()).toEqual(['../e', './c', './f', './side-effect.css', 'a', 'b', 'g'].sort());
  });

  it('every file under src/ imports only what its module may', () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(0);
    const violations: string[] = [];
    for (const path of files) {
      const file = relative(SRC, path).split(sep).join('/');
      for (const specifier of importsOf(readFileSync(path, 'utf8'))) {
        const problem = checkImport(file, specifier);
        if (problem) violations.push(problem);
      }
    }
    expect(violations, `module boundary violations:\n  ${violations.join('\n  ')}\n`).toEqual([]);
  });
});

/**
 * Non-test .ts files under src/ and e2e/bench/ (paths relative to the repository root) whose text matches
 * `pattern`. The kernel tests under e2e/webgpu test the step itself and may call it.
 */
function filesMatching(pattern: RegExp, roots = [SRC, join(ROOT, 'e2e', 'bench')]): string[] {
  return roots
    .flatMap(sourceFiles)
    .filter((path) => !isTestFile(path) && pattern.test(readFileSync(path, 'utf8')))
    .map((path) => relative(ROOT, path).split(sep).join('/'))
    .sort();
}

describe('one place for each rule (issue #13)', () => {
  it('only the Trainer calls the training step (the run, the probe, the benches and test fixtures use a Trainer)', () => {
    expect(filesMatching(/(?:^|[^\w.]|\.\.\.)(chunkedTrainStep|trainStep)\(/m)).toEqual([
      'src/core/train/chunked-step.ts',
      'src/core/train/train-step.ts',
      'src/core/train/trainer.ts',
    ]);
  });

  it('only CurrentRun replaces the current run and attaches the evaluation to it', () => {
    expect(filesMatching(/\.attach\(/)).toEqual(['src/worker/current-run.ts']);
  });

  it('only worker/faults.ts reads error messages for out of memory and device loss', () => {
    expect(filesMatching(/\/[^/\n]*(out of memory|device[^/\n]*lost)[^/\n]*\/i/)).toEqual(['src/worker/faults.ts']);
  });

  it('only protocol/config.ts divides the images by the batch size', () => {
    expect(filesMatching(/Math\.floor\([\w.]*(imageCount|length)\s*\/\s*[\w.]*batchSize\)/)).toEqual([
      'src/protocol/config.ts',
    ]);
  });
});
