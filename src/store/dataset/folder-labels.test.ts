import { beforeEach, describe, expect, it } from 'vitest';
import { useAppStore } from '../app-store';
import { type Harness, setUpStore } from '../test-support';
import { answerFolderLabels } from './folder-labels';
import { folderQuestionOpen } from './state';

let h: Harness;
const dataset = () => useAppStore.getState().dataset;
let fingerprint = 0;

beforeEach(() => {
  h = setUpStore();
  fingerprint += 1;
});

function loadFolders(names: string[], counts: number[], key = `set-${fingerprint}`) {
  h.worker.emit({ type: 'datasetFolders', fingerprint: key, names, counts });
}

describe('are the folder names labels?', () => {
  it('is asked for a new data set in folders, and label evaluation stays off until yes', () => {
    loadFolders(['car', 'cat', 'dog'], [3, 14, 7]);
    expect(folderQuestionOpen(dataset())).toBe(true);
    expect(h.worker.last('useFolderLabels')).toEqual({ type: 'useFolderLabels', use: false });
    answerFolderLabels(true);
    expect(folderQuestionOpen(dataset())).toBe(false);
    expect(dataset().folderLabels).toBe(true);
    expect(h.worker.last('useFolderLabels')).toEqual({ type: 'useFolderLabels', use: true });
  });

  it('is not asked again for the same data set (after a reload), and the answer can be changed', () => {
    loadFolders(['a', 'b'], [5, 5]);
    answerFolderLabels(false);
    h = setUpStore(); // a reload: a fresh store and worker
    loadFolders(['a', 'b'], [5, 5]);
    expect(folderQuestionOpen(dataset())).toBe(false);
    expect(dataset().folderLabels).toBe(false);
    expect(h.worker.last('useFolderLabels')?.use).toBe(false);
    answerFolderLabels(true);
    h = setUpStore();
    loadFolders(['a', 'b'], [5, 5]);
    expect(dataset().folderLabels).toBe(true);
    expect(h.worker.last('useFolderLabels')?.use).toBe(true);
  });

  it('asks afresh for another data set, never for one folder, and forgets the folders when images are cleared', () => {
    loadFolders(['a', 'b'], [5, 5]);
    answerFolderLabels(true);
    loadFolders(['a', 'b', 'c'], [5, 5, 1], `other-${fingerprint}`);
    expect(folderQuestionOpen(dataset())).toBe(true);
    expect(h.worker.last('useFolderLabels')?.use).toBe(false);
    loadFolders([], [], `flat-${fingerprint}`);
    expect(folderQuestionOpen(dataset())).toBe(false);
    h.worker.emit({ type: 'imagesCleared' });
    expect(dataset().folders).toBeNull();
  });
});
