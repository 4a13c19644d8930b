import { describe, expect, it } from 'vitest';
import { historyIntervals, MetricsHistory } from './history';

describe('MetricsHistory', () => {
  it('keeps every step in order across growth, and replays the original metrics intervals', () => {
    const history = new MetricsHistory();
    let step = 0;
    for (let interval = 0; interval < 30; interval++) {
      const losses = [1, 2, 3].map((k) => step + k);
      history.record(step + 1, losses, [0.1, 0.2, 0.3], { step: step + 3, positive: interval, negative: -interval });
      step += 3;
    }
    const data = history.snapshot();
    expect(data.losses.length).toBe(90);
    expect(Array.from(data.losses.subarray(0, 6))).toEqual([1, 2, 3, 4, 5, 6]);
    const intervals = historyIntervals(data);
    expect(intervals).toHaveLength(30);
    expect(intervals[1]).toMatchObject({ firstStep: 4, point: { step: 6, positive: 1, negative: -1 } });
    expect(Array.from(intervals[1]!.losses)).toEqual([4, 5, 6]);
    // A history restored from a snapshot continues where it stopped.
    const restored = new MetricsHistory(data);
    restored.record(91, [7], [0.5], { step: 91, positive: 0, negative: 0 });
    expect(restored.snapshot().losses[90]).toBe(7);
  });

  it('refuses a gap (a lost interval would shift every later loss)', () => {
    const history = new MetricsHistory();
    history.record(1, [1], [0.1], { step: 1, positive: 0, negative: 0 });
    expect(() => history.record(3, [1], [0.1], { step: 3, positive: 0, negative: 0 })).toThrow(/expected step 2/);
  });
});
