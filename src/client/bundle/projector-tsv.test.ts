import { describe, expect, it } from 'vitest';
import { metadataTsv, vectorsTsv } from './projector-tsv';

describe('Embedding Projector files', () => {
  it('vectors.tsv: one tab-separated row per image, no header, float32 values that read back exactly', () => {
    const values = Float32Array.from([0.1, -2, 3.25, 1e-7, 12345.678, 0]);
    const tsv = vectorsTsv(values, 2, 3);
    const rows = tsv.trimEnd().split('\n');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toBe('0.100000001\t-2\t3.25');
    const back = Float32Array.from(rows.flatMap((r) => r.split('\t').map(Number)));
    expect([...back]).toEqual([...values]);
    expect(() => vectorsTsv(values, 4, 2)).toThrow(/6 values for 4 x 2/);
  });

  it('metadata.tsv: file and folder label with a header row when images are in two or more folders', () => {
    expect(metadataTsv(['cats/a.png', 'dogs/b.png', 'set/cats/c\td.png'])).toBe(
      'file\tlabel\ncats/a.png\tcats\ndogs/b.png\tdogs\nset/cats/c d.png\tcats\n',
    );
  });

  it('metadata.tsv: a single column without a header when there are no folder labels', () => {
    expect(metadataTsv(['a.png', 'b.png'])).toBe('a.png\nb.png\n');
    expect(metadataTsv(['one/a.png', 'one/b.png'])).toBe('one/a.png\none/b.png\n');
    expect(metadataTsv(['one/a.png', 'b.png'])).toBe('one/a.png\nb.png\n');
  });
});
