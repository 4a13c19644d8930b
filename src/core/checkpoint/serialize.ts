/**
 * A TrainingState as one byte array (the checkpoint file, and the IndexedDB value):
 *
 *   bytes 0..7    magic "SIMCLRCK"
 *   bytes 8..11   uint32 LE: length J of the JSON header
 *   bytes 12..    J bytes of UTF-8 JSON: the state with every Float32Array replaced by
 *                 {"$f32": [offset, length]} (offset in floats into the data section)
 *   then          zero padding to a multiple of 4, then the data section: float32 LE values
 */
import { withConfigDefaults } from '../../protocol/config';
import type { TrainingState } from './training-state';

const MAGIC = 'SIMCLRCK';
const HEADER_BYTES = 12;

interface F32Ref {
  $f32: [number, number];
}

function isF32Ref(value: unknown): value is F32Ref {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as F32Ref).$f32) &&
    (value as F32Ref).$f32.length === 2
  );
}

/** Encodes the state; every float array is copied once into the result. */
export function serializeTrainingState(state: TrainingState): Uint8Array {
  const arrays: Float32Array[] = [];
  let floats = 0;
  const json = JSON.stringify(state, (_key, value: unknown) => {
    if (value instanceof Float32Array) {
      const ref: F32Ref = { $f32: [floats, value.length] };
      arrays.push(value);
      floats += value.length;
      return ref;
    }
    // JSON has no NaN or Infinity: keep them as strings.
    if (typeof value === 'number' && !Number.isFinite(value)) return { $num: String(value) };
    return value;
  });
  const header = new TextEncoder().encode(json);
  const dataOffset = align4(HEADER_BYTES + header.length);
  const out = new Uint8Array(dataOffset + floats * 4);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(8, header.length, true);
  out.set(header, HEADER_BYTES);
  const data = new Float32Array(out.buffer, dataOffset, floats);
  let at = 0;
  for (const array of arrays) {
    data.set(array, at);
    at += array.length;
  }
  return out;
}

/** True when the bytes start like a checkpoint (cheap check before a full parse). */
export function looksLikeCheckpoint(bytes: Uint8Array): boolean {
  return bytes.length >= HEADER_BYTES && new TextDecoder().decode(bytes.subarray(0, 8)) === MAGIC;
}

/** Decodes bytes written by serializeTrainingState; throws a readable error for anything else. */
export function deserializeTrainingState(bytes: Uint8Array): TrainingState {
  if (!looksLikeCheckpoint(bytes)) throw new Error('This is not a simclr-tab checkpoint (wrong file signature).');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(8, true);
  if (HEADER_BYTES + headerLength > bytes.length) throw new Error('The checkpoint is truncated (header cut short).');
  const dataOffset = align4(HEADER_BYTES + headerLength);
  const floats = Math.floor((bytes.length - dataOffset) / 4);
  // Copy so the floats are aligned whatever the caller's byteOffset is.
  const data = new Float32Array(floats);
  new Uint8Array(data.buffer).set(bytes.subarray(dataOffset, dataOffset + floats * 4));
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes.subarray(HEADER_BYTES, HEADER_BYTES + headerLength)));
  } catch {
    throw new Error('The checkpoint is corrupt (its header is not valid JSON).');
  }
  const revive = (value: unknown): unknown => {
    if (isF32Ref(value)) {
      const [offset, length] = value.$f32;
      if (offset + length > floats) throw new Error('The checkpoint is truncated (weights cut short).');
      return data.slice(offset, offset + length);
    }
    if (typeof value === 'object' && value !== null && '$num' in value) return Number((value as { $num: string }).$num);
    if (Array.isArray(value)) return value.map(revive);
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
    }
    return value;
  };
  const state = revive(parsed) as TrainingState;
  if (typeof state !== 'object' || state === null || typeof state.step !== 'number' || !Array.isArray(state.weights)) {
    throw new Error('The checkpoint is corrupt (fields are missing).');
  }
  return { ...state, config: withConfigDefaults(state.config) };
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
