import { describe, expect, it } from 'vitest';
import { cosineTopK } from './cosine-top-k';

function normalizedRows(values: number[][]): Float32Array {
  return Float32Array.from(
    values.flatMap((row) => {
      const norm = Math.hypot(...row);
      return row.map((v) => v / norm);
    }),
  );
}

/** Every row's cosine with the query, sorted by similarity then row: the definition the loop must match. */
function reference(rows: number[][], query: number[], k: number, exclude: number) {
  const qn = Math.hypot(...query);
  return rows
    .map((row, i) => ({ i, s: row.reduce((sum, v, j) => sum + v * (query[j] ?? 0), 0) / (Math.hypot(...row) * qn) }))
    .filter((r) => r.i !== exclude)
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .slice(0, k);
}

describe('cosineTopK', () => {
  it('returns the most similar rows first, with their cosines', () => {
    const rows = [
      [1, 0],
      [0, 1],
      [1, 1],
      [-1, 0],
    ];
    const { rows: found, similarities } = cosineTopK(normalizedRows(rows), 2, [2, 0], 3);
    expect(Array.from(found)).toEqual([0, 2, 1]);
    expect(similarities[0]).toBeCloseTo(1, 6);
    expect(similarities[1]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(similarities[2]).toBeCloseTo(0, 6);
  });

  it('leaves out the excluded row and caps k at the rows left', () => {
    const rows = [
      [1, 0],
      [0.9, 0.1],
      [0, 1],
    ];
    const { rows: found } = cosineTopK(normalizedRows(rows), 2, [1, 0], 10, 0);
    expect(Array.from(found)).toEqual([1, 2]);
    expect(cosineTopK(normalizedRows(rows), 2, [1, 0], 10).rows).toHaveLength(3);
    expect(cosineTopK(normalizedRows(rows), 2, [1, 0], 0).rows).toHaveLength(0);
  });

  it('keeps the lower row first among equal similarities', () => {
    const rows = [
      [0, 1],
      [1, 0],
      [1, 0],
      [1, 0],
    ];
    expect(Array.from(cosineTopK(normalizedRows(rows), 2, [1, 0], 2).rows)).toEqual([1, 2]);
  });

  it('matches a sort of every cosine on random data', () => {
    let seed = 7;
    // A small LCG: client tests may not import core's generator.
    const next = () => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const n = 300;
    const dim = 24;
    const rows = Array.from({ length: n }, () => Array.from({ length: dim }, () => next() * 2 - 1));
    const query = Array.from({ length: dim }, () => next() * 2 - 1);
    for (const [k, exclude] of [
      [16, -1],
      [16, 5],
      [299, 0],
    ] as const) {
      const got = cosineTopK(normalizedRows(rows), dim, query, k, exclude);
      const want = reference(rows, query, k, exclude);
      expect(Array.from(got.rows)).toEqual(want.map((r) => r.i));
      want.forEach((r, i) => {
        expect(got.similarities[i]).toBeCloseTo(r.s, 5);
      });
    }
  });

  it('says what is wrong with a query it cannot use', () => {
    const vectors = normalizedRows([[1, 0]]);
    expect(() => cosineTopK(vectors, 2, [0, 0], 1)).toThrow(/zero/);
    expect(() => cosineTopK(vectors, 2, [1, 0, 0], 1)).toThrow(/3 dimensions/);
    expect(() => cosineTopK(vectors, 3, [1, 0, 0], 1)).toThrow(/whole number/);
  });
});

describe('cosineTopK on a map of 10,000 images', () => {
  it('answers well within a second (the neighbours promise of issue 17)', () => {
    const n = 10_000;
    const dim = 512;
    const vectors = new Float32Array(n * dim);
    for (let i = 0; i < vectors.length; i++) vectors[i] = Math.sin(i * 0.37) + Math.cos(i * 0.011);
    for (let i = 0; i < n; i++) {
      const row = vectors.subarray(i * dim, (i + 1) * dim);
      const norm = Math.hypot(...row);
      for (let j = 0; j < dim; j++) row[j] = (row[j] ?? 0) / norm;
    }
    const times: number[] = [];
    for (let r = 0; r < 5; r++) {
      const query = vectors.slice(r * dim, (r + 1) * dim);
      const started = performance.now();
      const { rows, similarities } = cosineTopK(vectors, dim, query, 16);
      times.push(performance.now() - started);
      expect(rows[0]).toBe(r);
      expect(similarities[0]).toBeCloseTo(1, 4);
    }
    times.sort((a, b) => a - b);
    console.log(`cosineTopK 10,000 x 512, k = 16: median ${times[2]?.toFixed(1)} ms, max ${times[4]?.toFixed(1)} ms`);
    expect(times[4]).toBeLessThan(1000);
  });
});
