/**
 * A fingerprint of a data set (its pixels, paths and working size), so a checkpoint is resumed only
 * on the data it was trained on. Two independent 32-bit FNV-1a hashes (different offsets) make a
 * 64-bit digest: enough to tell data sets apart, not a cryptographic hash.
 */
export interface FingerprintSource {
  size: number;
  length: number;
  paths: readonly string[];
  image(index: number): Uint8Array;
}

const FNV_PRIME = 0x01000193;

export function datasetFingerprint(data: FingerprintSource): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  const mix = (byte: number) => {
    a = Math.imul(a ^ byte, FNV_PRIME);
    b = Math.imul(b ^ byte, FNV_PRIME) ^ (b >>> 15);
  };
  const encoder = new TextEncoder();
  for (let i = 0; i < data.length; i++) {
    const pixels = data.image(i);
    for (let j = 0; j < pixels.length; j++) mix(pixels[j]!);
    for (const byte of encoder.encode(data.paths[i] ?? '')) mix(byte);
    mix(0);
  }
  const hex = (v: number) => (v >>> 0).toString(16).padStart(8, '0');
  return `${data.length}x${data.size}px-${hex(a)}${hex(b)}`;
}
