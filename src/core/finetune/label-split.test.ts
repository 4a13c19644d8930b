import { describe, expect, it } from 'vitest';
import { fewLabelSplit } from './label-split';

/** 10 classes x 50 images, interleaved like a shuffled folder. */
const labels = Int32Array.from({ length: 500 }, (_, i) => i % 10);
const countOf = (indices: Int32Array, label: number) => Array.from(indices).filter((i) => labels[i] === label).length;

describe('fewLabelSplit', () => {
  it('holds out the same stratified images whatever the fraction, and never trains on them', () => {
    const all = fewLabelSplit(labels, 10, 1, 0.2, 3);
    const tenth = fewLabelSplit(labels, 10, 0.1, 0.2, 3);
    expect(Array.from(tenth.test)).toEqual(Array.from(all.test));
    for (let c = 0; c < 10; c++) {
      expect(countOf(all.test, c)).toBe(10);
      expect(countOf(all.train, c)).toBe(40);
      expect(countOf(tenth.train, c)).toBe(4);
    }
    const held = new Set(all.test);
    expect(Array.from(all.train).some((i) => held.has(i))).toBe(false);
    expect(Array.from(tenth.train).every((i) => new Set(all.train).has(i))).toBe(true);
  });

  it('keeps at least one labelled image per class at 1%', () => {
    const split = fewLabelSplit(labels, 10, 0.01, 0.2, 3);
    for (let c = 0; c < 10; c++) expect(countOf(split.train, c)).toBe(1);
  });

  it('is seeded: the same seed gives the same split, another seed another one', () => {
    const a = fewLabelSplit(labels, 10, 0.1, 0.2, 3);
    expect(fewLabelSplit(labels, 10, 0.1, 0.2, 3)).toEqual(a);
    expect(Array.from(fewLabelSplit(labels, 10, 0.1, 0.2, 4).train)).not.toEqual(Array.from(a.train));
  });

  it('keeps a class of one image for training and holds none of it out', () => {
    const split = fewLabelSplit(Int32Array.from([0, 0, 0, 0, 0, 1]), 2, 1, 0.2, 1);
    expect(Array.from(split.train)).toContain(5);
    expect(Array.from(split.test)).not.toContain(5);
    expect(split.test.length).toBe(1);
  });
});
