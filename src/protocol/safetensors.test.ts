import { describe, expect, it } from 'vitest';
import { parseSafetensors, readFloat32, SafetensorsError, writeSafetensors } from './safetensors';

/** A file with any header object and data bytes, to build broken files. */
function rawFile(header: unknown, data: Uint8Array = new Uint8Array(0), declaredLength?: number): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(declaredLength ?? json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function u16(...values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => {
    view.setUint16(2 * i, v, true);
  });
  return out;
}

describe('safetensors', () => {
  it('writes what it reads: names, shapes, float32 values, int64 scalars and metadata', () => {
    const bytes = writeSafetensors(
      [
        { name: 'conv1.weight', dtype: 'F32', shape: [2, 1, 1, 3], data: Float32Array.of(1, -2, 3.5, 0, 1e-8, -7) },
        { name: 'bn1.num_batches_tracked', dtype: 'I64', shape: [], data: BigInt64Array.of(12n) },
      ],
      { format: 'test' },
    );
    const header = parseSafetensors(bytes);
    expect((header.dataStart - 8) % 8).toBe(0);
    expect(header.metadata).toEqual({ format: 'test' });
    expect(header.tensors.get('conv1.weight')).toEqual({ dtype: 'F32', shape: [2, 1, 1, 3], begin: 0, end: 24 });
    expect(header.tensors.get('bn1.num_batches_tracked')).toEqual({ dtype: 'I64', shape: [], begin: 24, end: 32 });
    expect([...readFloat32(bytes, header, 'conv1.weight')]).toEqual([...Float32Array.of(1, -2, 3.5, 0, 1e-8, -7)]);
    const view = new DataView(bytes.buffer, header.dataStart + 24, 8);
    expect(view.getBigInt64(0, true)).toBe(12n);
  });

  it('widens float16 and bfloat16 exactly', () => {
    // f16: 1, -2, 65504 (largest), 2^-24 (smallest subnormal); bf16: 1, -0.5, 3.140625
    const half = u16(0x3c00, 0xc000, 0x7bff, 0x0001);
    const brain = u16(0x3f80, 0xbf00, 0x4049);
    const data = new Uint8Array([...half, ...brain]);
    const bytes = rawFile(
      {
        h: { dtype: 'F16', shape: [4], data_offsets: [0, 8] },
        b: { dtype: 'BF16', shape: [3], data_offsets: [8, 14] },
      },
      data,
    );
    const header = parseSafetensors(bytes);
    expect([...readFloat32(bytes, header, 'h')]).toEqual([1, -2, 65504, 2 ** -24]);
    expect([...readFloat32(bytes, header, 'b')]).toEqual([1, -0.5, 3.140625]);
  });

  it('refuses to read an integer tensor as weights', () => {
    const bytes = rawFile({ n: { dtype: 'I32', shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4));
    expect(() => readFloat32(bytes, parseSafetensors(bytes), 'n')).toThrow(/I32; only F32, F16 and BF16/);
  });

  it('names what is wrong with files that are not safetensors or are cut short', () => {
    const valid = writeSafetensors([{ name: 'w', dtype: 'F32', shape: [4], data: new Float32Array(4) }]);
    const cases: Array<[Uint8Array, RegExp]> = [
      [new Uint8Array(5), /5 bytes: too short/],
      [
        new TextEncoder().encode('PK\u0003\u0004 this is a zip file, not weights'),
        /Not a safetensors file: its first 8 bytes/,
      ],
      [rawFile({ w: 1 }, new Uint8Array(0)), /"w" has an unknown dtype/],
      [rawFile([1, 2]), /not a JSON object/],
      [
        rawFile({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, new Uint8Array(4)),
        /"w" \(F32 \[2\]\) has 4 bytes/,
      ],
      [rawFile({ w: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, new Uint8Array(4)), /no valid shape/],
      [valid.subarray(0, valid.length - 3), /truncated: tensor "w" ends at byte \d+ but the file has \d+ bytes/],
      [valid.subarray(0, 20), /Not a safetensors file: its first 8 bytes give a header of \d+ bytes in a file of 20/],
    ];
    const garbled = rawFile({}, new Uint8Array(0));
    garbled[8] = 0xff;
    cases.push([garbled, /header is not JSON/]);
    for (const [bytes, message] of cases) {
      expect(() => parseSafetensors(bytes)).toThrow(SafetensorsError);
      expect(() => parseSafetensors(bytes)).toThrow(message);
    }
  });
});
