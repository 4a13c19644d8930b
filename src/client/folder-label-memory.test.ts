import { describe, expect, it } from 'vitest';
import { FolderLabelMemory, inMemoryStorage, MAX_REMEMBERED } from './folder-label-memory';

describe('FolderLabelMemory', () => {
  it('remembers each data set answer across instances (a reload), and a changed answer replaces the old', () => {
    const backing = inMemoryStorage();
    new FolderLabelMemory(backing).remember('aaa', true);
    new FolderLabelMemory(backing).remember('bbb', false);
    const reloaded = new FolderLabelMemory(backing);
    expect(reloaded.answer('aaa')).toBe(true);
    expect(reloaded.answer('bbb')).toBe(false);
    expect(reloaded.answer('ccc')).toBeNull();
    reloaded.remember('aaa', false);
    expect(new FolderLabelMemory(backing).answer('aaa')).toBe(false);
  });

  it('keeps the newest answers only, and treats damaged storage as no answers', () => {
    const backing = inMemoryStorage();
    const memory = new FolderLabelMemory(backing);
    for (let i = 0; i <= MAX_REMEMBERED; i++) memory.remember(`set${i}`, true);
    expect(memory.answer('set0')).toBeNull();
    expect(memory.answer(`set${MAX_REMEMBERED}`)).toBe(true);
    backing.values.set('simclr-tab.folder-labels', '{not json');
    expect(memory.answer('set1')).toBeNull();
  });
});
