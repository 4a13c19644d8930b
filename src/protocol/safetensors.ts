/**
 * The safetensors format (huggingface/safetensors): an 8-byte little-endian header length N, N bytes of
 * JSON ({name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}), then the
 * raw little-endian tensor data, offsets counted from the end of the header. Pure byte work, shared by
 * the client (reads a dropped file's header) and the worker (reads and writes weights).
 */

/** Every dtype the format defines, with its size in bytes. */
const DTYPE_BYTES: Record<string, number> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  F64: 8,
  I64: 8,
  U64: 8,
};

/** Float dtypes read as weights (converted to float32). */
export const FLOAT_DTYPES: readonly string[] = ['F32', 'F16', 'BF16'];

export interface TensorInfo {
  dtype: string;
  shape: number[];
  /** Byte range inside the data section. */
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  tensors: Map<string, TensorInfo>;
  metadata: Record<string, string>;
  /** Byte offset of the data section in the file (8 + header length). */
  dataStart: number;
}

/** A file that is not valid safetensors; the message names what is wrong. */
export class SafetensorsError extends Error {
  override name = 'SafetensorsError';
}

/** The JSON header may not reasonably be larger (the reference implementation refuses above 100 MB). */
const MAX_HEADER_BYTES = 100_000_000;

/** Length of the JSON header from the file's first 8 bytes, checked against the file size. */
export function headerLength(first8: Uint8Array, fileSize: number): number {
  if (fileSize < 8 || first8.length < 8)
    throw new SafetensorsError(`The file has ${fileSize} bytes: too short to be a safetensors file.`);
  const view = new DataView(first8.buffer, first8.byteOffset, 8);
  const length = Number(view.getBigUint64(0, true));
  if (length < 2 || length > MAX_HEADER_BYTES || 8 + length > fileSize)
    throw new SafetensorsError(
      `Not a safetensors file: its first 8 bytes give a header of ${length} bytes in a file of ${fileSize} bytes.`,
    );
  return length;
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/**
 * Parses the header. `headerBytes` holds the N JSON bytes; `fileSize` is the whole file's size, so a
 * truncated file is caught before any data is read.
 */
export function parseHeader(headerBytes: Uint8Array, fileSize: number): SafetensorsHeader {
  const dataStart = 8 + headerBytes.length;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch {
    throw new SafetensorsError('Not a safetensors file: its header is not JSON.');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new SafetensorsError('Not a safetensors file: its header is not a JSON object.');
  const tensors = new Map<string, TensorInfo>();
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(json)) {
    if (name === '__metadata__') {
      metadata = Object.fromEntries(Object.entries(value ?? {}).map(([k, v]) => [k, String(v)]));
      continue;
    }
    const entry = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const { dtype, shape, data_offsets: offsets } = entry ?? {};
    if (typeof dtype !== 'string' || !(dtype in DTYPE_BYTES))
      throw new SafetensorsError(`Not a safetensors file: tensor "${name}" has an unknown dtype ${String(dtype)}.`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0))
      throw new SafetensorsError(`Not a safetensors file: tensor "${name}" has no valid shape.`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isInteger(o) && o >= 0))
      throw new SafetensorsError(`Not a safetensors file: tensor "${name}" has no valid data_offsets.`);
    const [begin, end] = offsets as [number, number];
    if (end - begin !== elementCount(shape) * DTYPE_BYTES[dtype]!)
      throw new SafetensorsError(
        `Not a valid safetensors file: tensor "${name}" (${dtype} [${shape.join(', ')}]) has ${end - begin} bytes of data.`,
      );
    if (dataStart + end > fileSize)
      throw new SafetensorsError(
        `The file is truncated: tensor "${name}" ends at byte ${dataStart + end} but the file has ${fileSize} bytes.`,
      );
    tensors.set(name, { dtype, shape: shape as number[], begin, end });
  }
  return { tensors, metadata, dataStart };
}

/** Parses the header of a whole file held in memory. */
export function parseSafetensors(bytes: Uint8Array): SafetensorsHeader {
  const length = headerLength(bytes.subarray(0, 8), bytes.length);
  return parseHeader(bytes.subarray(8, 8 + length), bytes.length);
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** A float tensor's values as float32 (F32 copied, F16 and BF16 widened exactly). */
export function readFloat32(bytes: Uint8Array, header: SafetensorsHeader, name: string): Float32Array {
  const info = header.tensors.get(name);
  if (!info) throw new SafetensorsError(`The file has no tensor "${name}".`);
  const start = bytes.byteOffset + header.dataStart + info.begin;
  const count = elementCount(info.shape);
  const view = new DataView(bytes.buffer, start, info.end - info.begin);
  const out = new Float32Array(count);
  switch (info.dtype) {
    case 'F32':
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
      return out;
    case 'F16':
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
      return out;
    case 'BF16': {
      // bfloat16 is the top half of a float32.
      const widened = new DataView(new ArrayBuffer(4));
      for (let i = 0; i < count; i++) {
        widened.setUint32(0, view.getUint16(2 * i, true) << 16);
        out[i] = widened.getFloat32(0);
      }
      return out;
    }
    default:
      throw new SafetensorsError(`Tensor "${name}" is ${info.dtype}; only F32, F16 and BF16 can be read as weights.`);
  }
}

export type WritableTensor =
  | { name: string; dtype: 'F32'; shape: number[]; data: Float32Array }
  | { name: string; dtype: 'I64'; shape: number[]; data: BigInt64Array };

/** Writes tensors in the given order, data contiguous, the header padded with spaces to 8 bytes. */
export function writeSafetensors(
  tensors: readonly WritableTensor[],
  metadata: Record<string, string> = {},
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const t of tensors) {
    if (t.data.length !== elementCount(t.shape))
      throw new Error(`safetensors: ${t.name} has ${t.data.length} values for shape [${t.shape.join(', ')}]`);
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length)
    json = new TextEncoder().encode(JSON.stringify(header) + ' '.repeat(padded - json.length));
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let position = 8 + json.length;
  for (const t of tensors) {
    // Little-endian explicitly, so the bytes are right on any platform.
    if (t.dtype === 'F32') for (let i = 0; i < t.data.length; i++) view.setFloat32(position + 4 * i, t.data[i]!, true);
    else for (let i = 0; i < t.data.length; i++) view.setBigInt64(position + 8 * i, t.data[i]!, true);
    position += t.data.byteLength;
  }
  return out;
}
