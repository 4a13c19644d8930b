/**
 * NumPy .npy (format version 1.0) for a 2-D float32 array, little-endian, C order:
 * magic "\x93NUMPY", version 1 0, uint16 LE header length, an ASCII dict padded with spaces and a
 * newline so the data starts at a multiple of 64 bytes, then the raw values.
 */
export function float32Npy(values: Float32Array, rows: number, cols: number): Uint8Array {
  if (values.length !== rows * cols) throw new Error(`npy: ${values.length} values do not make ${rows} x ${cols}`);
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  const unpadded = 10 + dict.length + 1;
  const headerLength = Math.ceil(unpadded / 64) * 64 - 10;
  const header = `${dict}${' '.repeat(headerLength - dict.length - 1)}\n`;
  const out = new Uint8Array(10 + headerLength + values.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, headerLength, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  // Typed arrays are little-endian on every platform browsers run on.
  out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), 10 + headerLength);
  return out;
}

/** Reads what float32Npy writes (for tests and the import check). */
export function readFloat32Npy(bytes: Uint8Array): { values: Float32Array; shape: number[] } {
  if (bytes[0] !== 0x93 || String.fromCharCode(...bytes.subarray(1, 6)) !== 'NUMPY') throw new Error('not a .npy file');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint16(8, true);
  const header = String.fromCharCode(...bytes.subarray(10, 10 + headerLength));
  if (!header.includes("'descr': '<f4'")) throw new Error(`npy: not little-endian float32 (${header.trim()})`);
  const shape = (/'shape': \(([^)]*)\)/.exec(header)?.[1] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const start = 10 + headerLength;
  const values = new Float32Array(bytes.slice(start).buffer);
  return { values, shape };
}
