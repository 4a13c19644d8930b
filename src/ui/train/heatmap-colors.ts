// Diverging scale (ColorBrewer RdBu): -1 blue, 0 near-white, +1 red.
const NEGATIVE = [33, 102, 172] as const;
const MIDDLE = [247, 247, 247] as const;
const POSITIVE = [178, 24, 43] as const;

/** RGB of a similarity in [-1, 1]. */
export function divergingColor(value: number): [number, number, number] {
  const v = Math.max(-1, Math.min(1, Number.isFinite(value) ? value : 0));
  const end = v < 0 ? NEGATIVE : POSITIVE;
  const t = Math.abs(v);
  return [0, 1, 2].map((c) => Math.round(MIDDLE[c]! + (end[c]! - MIDDLE[c]!) * t)) as [number, number, number];
}
