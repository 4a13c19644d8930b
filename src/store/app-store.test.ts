import { describe, expect, it } from 'vitest';
import { type AppState, initialAppState, reduceEvent } from './app-store';

const SLICES = Object.keys(initialAppState()) as (keyof AppState)[];

/** The slices whose state is a different object after `event`. */
function changed(state: AppState, event: Parameters<typeof reduceEvent>[1]): (keyof AppState)[] {
  const next = reduceEvent(state, event);
  return SLICES.filter((key) => next[key] !== state[key]);
}

describe('reduceEvent routes each worker event to the slices that own it', () => {
  it('a runs event changes the runs slice only', () => {
    const storage = { usage: 0, quota: 0 };
    expect(changed(initialAppState(), { type: 'runsList', runs: [], storage })).toEqual(['runs']);
  });

  it('images cleared reaches the dataset, training, preview and evaluation slices', () => {
    expect(changed(initialAppState(), { type: 'imagesCleared' }).sort()).toEqual(
      ['augmentPreview', 'dataset', 'evaluation', 'training'].sort(),
    );
  });

  it('an error reaches every slice that answers errors (the banner at least)', () => {
    const error = { type: 'error', requestId: null, context: 'Test', error: { name: 'Error', message: 'no' } } as const;
    expect(changed(initialAppState(), error)).toContain('errors');
  });

  it('a recovery notice reaches the banner only', () => {
    const notice = { type: 'recovered', fault: 'out-of-memory', message: 'retried' } as const;
    expect(changed(initialAppState(), notice)).toEqual(['errors']);
  });

  it('a buffer-only event changes no slice', () => {
    const pixels = new Uint8ClampedArray();
    expect(
      changed(initialAppState(), { type: 'thumbnails', startIndex: 0, count: 0, size: 4, pixels, paths: [] }),
    ).toEqual([]);
  });
});
