import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The README and docs/ point at each other and into the tree: every link and every path they name must exist.
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).map((name) => `docs/${name}`)].filter((p) =>
  p.endsWith('.md'),
);

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(markdown: string): Set<string> {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, '');
  return new Set([...withoutCode.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1] ?? '')));
}

/** Problems with the links and `repo/paths` of one markdown file (`doc`, relative to the repository). */
function problemsIn(doc: string, markdown: string, exists: (path: string) => boolean, read: (path: string) => string) {
  const problems: string[] = [];
  const prose = markdown.replace(/```[\s\S]*?```/g, '');
  for (const [, target = ''] of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/.test(target)) continue;
    const [file = '', anchor] = target.split('#');
    const path = file ? relative(ROOT, join(ROOT, dirname(doc), file)) : doc;
    if (!exists(path)) problems.push(`${doc}: link to missing ${target}`);
    else if (anchor && path.endsWith('.md') && !anchorsOf(read(path)).has(anchor))
      problems.push(`${doc}: no heading #${anchor} in ${path}`);
  }
  for (const [, path = ''] of prose.matchAll(/`((?:src|e2e|public|docs)\/[^`\s]+)`/g)) {
    if (/[*<]/.test(path)) continue;
    if (!exists(path)) problems.push(`${doc}: names missing ${path}`);
  }
  return problems;
}

const onDisk = (path: string) => existsSync(join(ROOT, path));
const fromDisk = (path: string) => readFileSync(join(ROOT, path), 'utf8');

describe('README and docs/', () => {
  it('finds broken links, missing anchors and missing paths (self-check)', () => {
    const files: Record<string, string> = { 'docs/a.md': '# Known limits\n', 'src/x.ts': '' };
    const doc = '[ok](a.md#known-limits) [gone](b.md) [anchor](a.md#nope) `src/x.ts` `src/y.ts` [web](https://x.org)';
    const problems = problemsIn(
      'docs/c.md',
      doc,
      (p) => p in files,
      (p) => files[p] ?? '',
    );
    expect(problems).toEqual([
      'docs/c.md: link to missing b.md',
      'docs/c.md: no heading #nope in docs/a.md',
      'docs/c.md: names missing src/y.ts',
    ]);
    expect(slug('Robustness, privacy and scale')).toBe('robustness-privacy-and-scale');
  });

  it('links only to files and headings that exist, and names only paths that exist', () => {
    expect(DOCS).toContain('docs/architecture.md');
    const problems = DOCS.flatMap((doc) => problemsIn(doc, fromDisk(doc), onDisk, fromDisk));
    expect(problems).toEqual([]);
  });
});
