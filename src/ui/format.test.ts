import { describe, expect, it } from 'vitest';
import {
  folderCountsText,
  formatCount,
  formatDuration,
  formatLearningRate,
  formatLoss,
  formatPercent,
  formatSignificant,
  formatStepProgress,
  formatThroughput,
  imageCountText,
} from './format';

describe('formats', () => {
  it('image count uses the exact phrases the e2e tests read', () => {
    expect(imageCountText(0)).toBe('No images loaded yet');
    expect(imageCountText(1)).toBe('1 image loaded');
    expect(imageCountText(10000)).toBe('10,000 images loaded');
  });

  it('durations read like a person would say them', () => {
    expect(formatDuration(252)).toBe('4 min 12 s');
    expect(formatDuration(130)).toBe('2 min 10 s');
    expect(formatDuration(4.4)).toBe('4 s');
    expect(formatDuration(3900)).toBe('1 h 05 min');
    expect(formatDuration(Number.NaN)).toBe('—');
    expect(formatDuration(null)).toBe('—');
  });

  it('loss has 4 significant digits whatever its size; a diverged loss says so', () => {
    expect(formatLoss(4.852013111114502)).toBe('4.852');
    expect(formatLoss(0.012345678)).toBe('0.01235');
    expect(formatLoss(12.34567)).toBe('12.35');
    expect(formatLoss(5)).toBe('5.000');
    expect(formatLoss(null)).toBe('—');
    expect(formatLoss(Number.NaN)).toBe('NaN');
    expect(formatLoss(Number.POSITIVE_INFINITY)).toBe('∞');
  });

  it('counts have thousands separators; significant digits keep them', () => {
    expect(formatCount(1200)).toBe('1,200');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(12345.6)).toBe('12,346');
    expect(formatCount(undefined)).toBe('—');
    expect(formatSignificant(123456, 4)).toBe('123,500');
  });

  it('learning rate is in exponent form, throughput in images/s, shares in percent', () => {
    expect(formatLearningRate(0.001)).toBe('1.00e-3');
    expect(formatThroughput(312.4)).toBe('312 images/s');
    expect(formatThroughput(2.25)).toBe('2.3 images/s');
    expect(formatThroughput(1534.2)).toBe('1,534 images/s');
    expect(formatPercent(0.41234)).toBe('41.2%');
    expect(formatPercent(undefined)).toBe('—');
  });

  it('the step has a total only when there is one: an import without images has none', () => {
    expect(formatStepProgress(1200, 3000)).toBe('Step 1,200 / 3,000');
    expect(formatStepProgress(55, 0)).toBe('Step 55');
  });
});

describe('folderCountsText', () => {
  it('lists folders largest first with their counts and shares, then how many more', () => {
    expect(folderCountsText(['car', 'cat', 'dog'], [3, 14, 7])).toBe('cat 14 (58%), dog 7 (29%), car 3 (13%)');
    expect(folderCountsText(['a', 'b', 'c'], [1, 2, 3], 2)).toBe('c 3 (50%), b 2 (33%) and 1 more');
  });
});
