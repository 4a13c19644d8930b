import { describe, expect, it } from 'vitest';
import {
  folderCountsText,
  formatDuration,
  formatLearningRate,
  formatLoss,
  formatThroughput,
  imageCountText,
} from './format';

describe('formats', () => {
  it('image count uses the exact phrases the e2e tests read', () => {
    expect(imageCountText(0)).toBe('No images loaded yet');
    expect(imageCountText(1)).toBe('1 image loaded');
    expect(imageCountText(10000)).toBe('10000 images loaded');
  });

  it('durations read like a person would say them', () => {
    expect(formatDuration(130)).toBe('2 min 10 s');
    expect(formatDuration(4.4)).toBe('4 s');
    expect(formatDuration(3900)).toBe('1 h 05 min');
    expect(formatDuration(Number.NaN)).toBe('—');
    expect(formatDuration(null)).toBe('—');
  });

  it('loss has 4 decimals, learning rate is in exponent form, throughput in images/s', () => {
    expect(formatLoss(4.85201)).toBe('4.8520');
    expect(formatLoss(null)).toBe('—');
    expect(formatLearningRate(0.001)).toBe('1.00e-3');
    expect(formatThroughput(312.4)).toBe('312 images/s');
    expect(formatThroughput(2.25)).toBe('2.3 images/s');
  });
});

describe('folderCountsText', () => {
  it('lists folders largest first with their counts and shares, then how many more', () => {
    expect(folderCountsText(['car', 'cat', 'dog'], [3, 14, 7])).toBe('cat 14 (58%), dog 7 (29%), car 3 (13%)');
    expect(folderCountsText(['a', 'b', 'c'], [1, 2, 3], 2)).toBe('c 3 (50%), b 2 (33%) and 1 more');
  });
});
