import { describe, expect, it } from 'vitest';
import {
  type DirectoryEntryLike,
  type EntryLike,
  entriesFromDataTransfer,
  type FileEntryLike,
  filesFromFileList,
  walkDroppedItems,
  walkEntries,
} from './folder-walker';

function fileEntry(name: string, options: { fail?: boolean; async?: boolean } = {}): FileEntryLike {
  return {
    isFile: true,
    isDirectory: false,
    name,
    file(success, failure) {
      const run = () =>
        options.fail
          ? failure?.(new DOMException('A requested file or directory could not be found', 'NotFoundError'))
          : success(new File([name], name, { type: 'image/png' }));
      if (options.async) setTimeout(run, 0);
      else run();
    },
  };
}

/** A directory whose reader hands out its children `chunkSize` at a time, then an empty array. */
function dirEntry(name: string, children: EntryLike[], chunkSize = 100): DirectoryEntryLike & { reads: number } {
  const dir = {
    isFile: false as const,
    isDirectory: true as const,
    name,
    reads: 0,
    createReader() {
      let offset = 0;
      return {
        readEntries(success: (entries: EntryLike[]) => void) {
          dir.reads++;
          const chunk = children.slice(offset, offset + chunkSize);
          offset += chunk.length;
          setTimeout(() => success(chunk), 0);
        },
      };
    },
  };
  return dir;
}

describe('walkEntries', () => {
  it('walks folders three deep and builds paths relative to the dropped folder', async () => {
    const root = dirEntry('photos', [
      fileEntry('top.png'),
      dirEntry('cats', [fileEntry('a.jpg'), dirEntry('kittens', [fileEntry('tiny.png', { async: true })])]),
      dirEntry('dogs', [fileEntry('b.jpg')]),
    ]);
    const { files, failures } = await walkEntries([root]);
    expect(failures).toEqual([]);
    expect(files.map((f) => f.path)).toEqual([
      'photos/cats/a.jpg',
      'photos/cats/kittens/tiny.png',
      'photos/dogs/b.jpg',
      'photos/top.png',
    ]);
    expect(files[1]?.file.name).toBe('tiny.png');
  });

  it('keeps calling readEntries until it returns an empty chunk', async () => {
    const children = Array.from({ length: 250 }, (_, i) => fileEntry(`img-${i}.png`));
    const dir = dirEntry('many', children, 100);
    const progress: number[] = [];
    const { files } = await walkEntries([dir], { onProgress: (n) => progress.push(n) });
    expect(files).toHaveLength(250);
    expect(dir.reads).toBe(4); // 100 + 100 + 50 + the empty chunk
    expect(files[2]?.path).toBe('many/img-2.png'); // numeric order, not img-10 before img-2
    expect(progress.at(-1)).toBe(250);
  });

  it('reports a file whose file() fails instead of throwing', async () => {
    const root = dirEntry('set', [fileEntry('ok.png'), fileEntry('broken.png', { fail: true })]);
    const { files, failures } = await walkEntries([root]);
    expect(files.map((f) => f.path)).toEqual(['set/ok.png']);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.path).toBe('set/broken.png');
    expect(failures[0]?.reason).toMatch(/could not read the file/i);
  });

  it('reports a folder whose reader fails', async () => {
    const bad: DirectoryEntryLike = {
      isFile: false,
      isDirectory: true,
      name: 'locked',
      createReader: () => ({ readEntries: (_ok, fail) => fail?.(new Error('permission denied')) }),
    };
    const { files, failures } = await walkEntries([bad, fileEntry('loose.png')]);
    expect(files.map((f) => f.path)).toEqual(['loose.png']);
    expect(failures).toEqual([{ path: 'locked/', reason: 'Could not read the folder: permission denied' }]);
  });

  it('skips hidden files and folders', async () => {
    const root = dirEntry('d', [fileEntry('.DS_Store'), dirEntry('.git', [fileEntry('x.png')]), fileEntry('a.png')]);
    const { files } = await walkEntries([root]);
    expect(files.map((f) => f.path)).toEqual(['d/a.png']);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(walkEntries([fileEntry('a.png')], { signal: controller.signal })).rejects.toThrow();
  });
});

describe('drops and file lists', () => {
  it('takes entries from DataTransfer items and falls back to getAsFile', async () => {
    const plain = new File(['x'], 'plain.png');
    const items = [
      { kind: 'file', webkitGetAsEntry: () => dirEntry('folder', [fileEntry('in.png')]), getAsFile: () => null },
      { kind: 'file', webkitGetAsEntry: () => null, getAsFile: () => plain },
      { kind: 'string', getAsFile: () => null },
    ];
    const dropped = entriesFromDataTransfer({ items });
    expect(dropped.map((d) => d.kind)).toEqual(['entry', 'file']);
    const { files } = await walkDroppedItems(dropped);
    expect(files.map((f) => f.path)).toEqual(['folder/in.png', 'plain.png']);
  });

  it('uses dataTransfer.files when there are no items', () => {
    const dropped = entriesFromDataTransfer({ files: [new File(['x'], 'a.png')] });
    expect(dropped).toHaveLength(1);
  });

  it('uses webkitRelativePath for a chosen folder', () => {
    const a = new File(['x'], 'a.jpg');
    Object.defineProperty(a, 'webkitRelativePath', { value: 'photos/cats/a.jpg' });
    const hidden = new File(['x'], '.DS_Store');
    Object.defineProperty(hidden, 'webkitRelativePath', { value: 'photos/.DS_Store' });
    const loose = new File(['x'], 'b.png');
    expect(filesFromFileList([a, hidden, loose]).map((f) => f.path)).toEqual(['photos/cats/a.jpg', 'b.png']);
  });
});
