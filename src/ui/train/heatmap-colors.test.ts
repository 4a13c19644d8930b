import { describe, expect, it } from 'vitest';
import { divergingColor } from './heatmap-colors';

describe('divergingColor', () => {
  it('maps -1 to blue, 0 to near-white, +1 to red, and clamps', () => {
    expect(divergingColor(-1)).toEqual([33, 102, 172]);
    expect(divergingColor(0)).toEqual([247, 247, 247]);
    expect(divergingColor(1)).toEqual([178, 24, 43]);
    expect(divergingColor(5)).toEqual([178, 24, 43]);
    expect(divergingColor(Number.NaN)).toEqual([247, 247, 247]);
  });
});
