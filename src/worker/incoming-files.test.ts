import { describe, expect, it } from 'vitest';
import type { InputFile } from '../protocol/messages';
import { IncomingFiles } from './incoming-files';

const files = (n: number, from = 0): InputFile[] =>
  Array.from({ length: n }, (_, i) => ({ file: new File(['x'], `${from + i}.png`), path: `${from + i}.png` }));

describe('IncomingFiles', () => {
  it('is complete once every expected file arrived, and wakes a waiting decoder per chunk', async () => {
    const source = new IncomingFiles(5);
    source.push(files(2));
    expect(source.complete).toBe(false);
    const waited = source.waitForMore();
    source.push(files(3, 2));
    await waited;
    expect(source.complete).toBe(true);
    expect(source.files.map((f) => f.path)).toEqual(['0.png', '1.png', '2.png', '3.png', '4.png']);
    await source.waitForMore();
  });

  it('ends early when abandoned, releasing the waiter', async () => {
    const source = new IncomingFiles(10);
    source.push(files(1));
    const waited = source.waitForMore();
    source.end();
    await waited;
    expect(source.complete).toBe(true);
    expect(source.files).toHaveLength(1);
  });
});
