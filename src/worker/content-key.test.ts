import { describe, expect, it } from 'vitest';
import { contentKey } from './content-key';

describe('contentKey', () => {
  it('is the first 128 bits of SHA-256 in hex, equal for equal contents only', async () => {
    // SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
    expect(await contentKey(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223');
    const a = await contentKey(new Uint8Array([1, 2, 3]));
    expect(await contentKey(new Uint8Array([1, 2, 3]))).toBe(a);
    expect(await contentKey(new Uint8Array([1, 2, 4]))).not.toBe(a);
  });
});
