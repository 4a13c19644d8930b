import { describe, expect, it } from 'vitest';
import { datasetFolders } from './dataset-folders';

describe('datasetFolders', () => {
  const paths = ['photos/cat/1.png', 'photos/dog/2.png', 'photos/cat/3.png', 'photos/car/4.png', 'photos/cat/5.png'];

  it('counts the images per folder', async () => {
    const folders = await datasetFolders(paths);
    expect(folders.names).toEqual(['car', 'cat', 'dog']);
    expect(folders.counts).toEqual([1, 3, 1]);
  });

  it('keys the data set by its paths, whatever order the files came in', async () => {
    const a = await datasetFolders(paths);
    const b = await datasetFolders([...paths].reverse());
    const c = await datasetFolders([...paths, 'photos/dog/6.png']);
    expect(a.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(b.fingerprint).toBe(a.fingerprint);
    expect(c.fingerprint).not.toBe(a.fingerprint);
  });

  it('names no folders when they cannot be labels', async () => {
    expect((await datasetFolders(['a/1.png', 'a/2.png'])).names).toEqual([]);
    expect((await datasetFolders(['a/1.png', '2.png'])).counts).toEqual([]);
  });
});
