/**
 * Nearest neighbours by cosine similarity over the map's vectors, on the page: the map's pass already holds
 * the l2-normalized h of every embedded image, so a query needs no round trip to the worker (which answers
 * only between training steps). Plain loops: 10,000 x 512 floats take a few milliseconds.
 */

export interface TopK {
  /** Row positions, most similar first. */
  rows: Int32Array;
  similarities: Float32Array;
}

/**
 * The k rows of `vectors` ([n, dim], row-major, each row l2-normalized) most cosine-similar to `query`
 * (any non-zero length: it is normalized here), leaving out row `exclude` (-1: none). Ties keep the lower row
 * first. k is capped at the number of rows that can be returned.
 */
export function cosineTopK(
  vectors: Float32Array,
  dim: number,
  query: ArrayLike<number>,
  k: number,
  exclude = -1,
): TopK {
  if (dim <= 0 || vectors.length % dim !== 0)
    throw new Error(`vectors hold ${vectors.length} floats, not a whole number of ${dim}-dimensional rows`);
  if (query.length !== dim) throw new Error(`the query has ${query.length} dimensions, the map's vectors ${dim}`);
  let norm = 0;
  for (let j = 0; j < dim; j++) norm += (query[j] ?? 0) ** 2;
  norm = Math.sqrt(norm);
  if (!(norm > 0) || !Number.isFinite(norm)) throw new Error('the query vector is zero or not finite');
  const q = new Float32Array(dim);
  for (let j = 0; j < dim; j++) q[j] = (query[j] ?? 0) / norm;

  const n = vectors.length / dim;
  const wanted = Math.max(0, Math.min(k, n - (exclude >= 0 && exclude < n ? 1 : 0)));
  const rows = new Int32Array(wanted);
  const similarities = new Float32Array(wanted);
  let filled = 0;
  for (let i = 0; i < n; i++) {
    if (i === exclude || wanted === 0) continue;
    let dot = 0;
    const base = i * dim;
    for (let j = 0; j < dim; j++) dot += (vectors[base + j] as number) * (q[j] as number);
    // Kept sorted, most similar first; a row enters only when it beats the last kept one.
    if (filled === wanted && !(dot > (similarities[wanted - 1] as number))) continue;
    let at = filled === wanted ? wanted - 1 : filled++;
    while (at > 0 && dot > (similarities[at - 1] as number)) {
      similarities[at] = similarities[at - 1] as number;
      rows[at] = rows[at - 1] as number;
      at--;
    }
    similarities[at] = dot;
    rows[at] = i;
  }
  return { rows, similarities };
}
