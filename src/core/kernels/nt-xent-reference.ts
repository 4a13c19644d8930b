/**
 * Plain TypeScript reference of the fused NT-Xent (webgpu/nt-xent.ts), float64: loss and its gradient wrt
 * z [M, d] (M = 2N, row i pairs with row (i + N) mod M), the same definition as loss/nt-xent.ts.
 */
export function ntXentReference(
  z: ArrayLike<number>,
  rows: number,
  dim: number,
  temperature: number,
): { loss: number; dz: Float64Array } {
  const M = rows;
  const half = M / 2;
  const norms = new Float64Array(M);
  for (let i = 0; i < M; i++) {
    let s = 0;
    for (let k = 0; k < dim; k++) s += z[i * dim + k]! ** 2;
    norms[i] = Math.sqrt(s);
  }
  const zn = Float64Array.from(
    { length: M * dim },
    (_, idx) => z[idx]! / Math.max(norms[Math.floor(idx / dim)]!, 1e-12),
  );
  const logits = new Float64Array(M * M);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < M; j++) {
      let s = 0;
      for (let k = 0; k < dim; k++) s += zn[i * dim + k]! * zn[j * dim + k]!;
      logits[i * M + j] = s / temperature;
    }
  }
  const positive = (i: number): number => (i + half) % M;
  const lse = new Float64Array(M);
  let loss = 0;
  for (let i = 0; i < M; i++) {
    let mx = -Infinity;
    for (let j = 0; j < M; j++) if (j !== i) mx = Math.max(mx, logits[i * M + j]!);
    let sum = 0;
    for (let j = 0; j < M; j++) if (j !== i) sum += Math.exp(logits[i * M + j]! - mx);
    lse[i] = mx + Math.log(sum);
    loss += lse[i]! - logits[i * M + positive(i)]!;
  }
  loss /= M;
  // dL/dlogit_ij = (softmax_ij - [j = positive(i)]) / M; logits are symmetric in (i, j).
  const dzn = new Float64Array(M * dim);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < M; j++) {
      if (i === j) continue;
      const l = logits[i * M + j]!;
      const coefficient =
        (Math.exp(l - lse[i]!) + Math.exp(l - lse[j]!) - (j === positive(i) ? 2 : 0)) / (M * temperature);
      for (let k = 0; k < dim; k++) dzn[i * dim + k]! += coefficient * zn[j * dim + k]!;
    }
  }
  const dz = new Float64Array(M * dim);
  for (let i = 0; i < M; i++) {
    const norm = norms[i]!;
    if (norm <= 1e-12) {
      for (let k = 0; k < dim; k++) dz[i * dim + k] = dzn[i * dim + k]! / 1e-12;
      continue;
    }
    let r = 0;
    for (let k = 0; k < dim; k++) r += zn[i * dim + k]! * dzn[i * dim + k]!;
    for (let k = 0; k < dim; k++) dz[i * dim + k] = (dzn[i * dim + k]! - zn[i * dim + k]! * r) / norm;
  }
  return { loss, dz };
}
