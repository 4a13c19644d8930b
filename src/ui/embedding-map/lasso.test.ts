import { describe, expect, it } from 'vitest';
import { insidePolygon, pointsInLasso } from './lasso';

const square = [0, 0, 10, 0, 10, 10, 0, 10];
// An L shape: the square's top-right quarter cut away.
const ell = [0, 0, 5, 0, 5, 5, 10, 5, 10, 10, 0, 10];

describe('insidePolygon', () => {
  it('tells inside from outside of a square', () => {
    expect(insidePolygon(square, 5, 5)).toBe(true);
    expect(insidePolygon(square, 11, 5)).toBe(false);
    expect(insidePolygon(square, 5, -1)).toBe(false);
  });

  it('follows a concave outline', () => {
    expect(insidePolygon(ell, 2, 2)).toBe(true);
    expect(insidePolygon(ell, 8, 8)).toBe(true);
    expect(insidePolygon(ell, 8, 2)).toBe(false);
  });
});

describe('pointsInLasso', () => {
  const screen = [2, 2, 8, 2, 8, 8, 20, 20];

  it('selects the points inside, in point order', () => {
    expect(pointsInLasso(screen, ell, null)).toEqual([0, 2]);
    expect(pointsInLasso(screen, square, null)).toEqual([0, 1, 2]);
  });

  it('skips hidden points', () => {
    expect(pointsInLasso(screen, square, [1, 0, 1, 1])).toEqual([0, 2]);
  });

  it('selects nothing with fewer than three corners', () => {
    expect(pointsInLasso(screen, [0, 0, 10, 10], null)).toEqual([]);
  });
});
