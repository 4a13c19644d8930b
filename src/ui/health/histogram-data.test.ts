import { describe, expect, it } from 'vitest';
import { binCentres, histogramMean, sharesPercent } from './histogram-data';

describe('similarity histogram data', () => {
  it('bins cover [-1, 1] evenly', () => {
    expect(binCentres(4)).toEqual([-0.75, -0.25, 0.25, 0.75]);
  });

  it('each histogram is shares of its own count: 8 positives and 8,000 negatives of one shape draw alike', () => {
    const positives = sharesPercent([0, 2, 6, 0]);
    const negatives = sharesPercent([0, 2000, 6000, 0]);
    expect(positives).toEqual([0, 25, 75, 0]);
    expect(negatives).toEqual(positives);
    expect(sharesPercent([0, 0])).toEqual([0, 0]);
  });

  it('the mean is the bin centres weighted by share', () => {
    expect(histogramMean([-0.5, 0.5], [25, 75])).toBeCloseTo(0.25);
    expect(histogramMean([-0.5, 0.5], [0, 0])).toBeNull();
  });
});
