import { describe, expect, it } from 'vitest';
import type { DroppedItem } from '../../client/folder-walker';
import { searchFileOfDrop } from './drop-search';

const file = (name: string): DroppedItem => ({ kind: 'file', file: new File(['x'], name) });
const folder: DroppedItem = {
  kind: 'entry',
  entry: { isFile: false, isDirectory: true, name: 'photos', createReader: () => ({ readEntries: () => {} }) },
} as unknown as DroppedItem;

describe('searchFileOfDrop', () => {
  it('searches with one dropped file once the map exists', () => {
    expect(searchFileOfDrop([file('a.png')], true)?.name).toBe('a.png');
  });

  it('adds two or more files, a folder, or anything before the map exists', () => {
    expect(searchFileOfDrop([file('a.png'), file('b.png')], true)).toBeNull();
    expect(searchFileOfDrop([folder], true)).toBeNull();
    expect(searchFileOfDrop([file('a.png')], false)).toBeNull();
    expect(searchFileOfDrop([], true)).toBeNull();
  });
});
