import { describe, expect, it } from 'vitest';
import { legendRows } from './legend-layout';

describe('legendRows', () => {
  it('puts entries side by side and starts a new row when the next would pass the width', () => {
    expect(legendRows([100, 100, 100], 250, 10)).toEqual([
      { x: 0, row: 0 },
      { x: 110, row: 0 },
      { x: 0, row: 1 },
    ]);
  });

  it('an entry wider than the row still gets a row of its own', () => {
    expect(legendRows([400, 50], 300, 10)).toEqual([
      { x: 0, row: 0 },
      { x: 0, row: 1 },
    ]);
    expect(legendRows([], 300, 10)).toEqual([]);
  });
});
