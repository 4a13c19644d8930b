import { describe, expect, it } from 'vitest';
import { filterPoints, isFiltering, labelCounts, NO_FILTER } from './map-filter';

const paths = ['shirt/a-01.png', 'Shirt/b-02.png', 'boot/a-03.png', 'boot/c-04.PNG'];
const labels = [0, 0, 1, 1];

describe('filterPoints', () => {
  it('keeps every point without a filter', () => {
    expect(Array.from(filterPoints(paths, labels, NO_FILTER))).toEqual([1, 1, 1, 1]);
    expect(isFiltering(NO_FILTER)).toBe(false);
  });

  it('matches part of the path in any case, ignoring surrounding spaces', () => {
    expect(Array.from(filterPoints(paths, labels, { text: ' SHIRT/', label: null }))).toEqual([1, 1, 0, 0]);
    expect(Array.from(filterPoints(paths, labels, { text: '.png', label: null }))).toEqual([1, 1, 1, 1]);
    expect(Array.from(filterPoints(paths, labels, { text: 'a-0', label: null }))).toEqual([1, 0, 1, 0]);
  });

  it('keeps one label, and combines it with the name', () => {
    expect(Array.from(filterPoints(paths, labels, { text: '', label: 1 }))).toEqual([0, 0, 1, 1]);
    expect(Array.from(filterPoints(paths, labels, { text: 'a-', label: 1 }))).toEqual([0, 0, 1, 0]);
    expect(isFiltering({ text: '', label: 0 })).toBe(true);
  });

  it('keeps nothing for a label filter when the map has no labels', () => {
    expect(Array.from(filterPoints(paths, null, { text: '', label: 0 }))).toEqual([0, 0, 0, 0]);
  });
});

describe('labelCounts', () => {
  it('counts the images of each label, all or only those kept', () => {
    expect(labelCounts(labels, 3, null)).toEqual([2, 2, 0]);
    expect(labelCounts(labels, 3, [1, 0, 1, 1])).toEqual([1, 2, 0]);
  });
});
