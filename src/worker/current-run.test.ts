import { describe, expect, it, vi } from 'vitest';
import type { ImageStore } from '../core/data/image-store';
import { CurrentRun } from './current-run';
import type { Evaluation } from './evaluation';
import type { TrainingRun } from './training-run';

const fakeRun = () => ({ dispose: vi.fn() }) as unknown as TrainingRun & { dispose: ReturnType<typeof vi.fn> };

describe('CurrentRun', () => {
  const store = { length: 10 } as ImageStore;
  const evaluation = () =>
    ({ attach: vi.fn(), reset: vi.fn() }) as unknown as Evaluation &
      Record<'attach' | 'reset', ReturnType<typeof vi.fn>>;

  it('a new run replaces the old one (disposed) and the evaluation follows it', () => {
    const views = evaluation();
    const current = new CurrentRun(views);
    const first = fakeRun();
    const second = fakeRun();
    current.replace(first, store);
    current.replace(second, store);
    expect(current.run).toBe(second);
    expect(first.dispose).toHaveBeenCalledOnce();
    expect(second.dispose).not.toHaveBeenCalled();
    expect(views.attach.mock.calls).toEqual([
      [first, store],
      [second, store],
    ]);
  });

  it('the same run again is not disposed; without images the evaluation is reset, not attached', () => {
    const views = evaluation();
    const current = new CurrentRun(views);
    const run = fakeRun();
    current.replace(run, store);
    current.replace(run, null);
    expect(run.dispose).not.toHaveBeenCalled();
    expect(views.attach).toHaveBeenCalledOnce();
    expect(views.reset).toHaveBeenCalledOnce();
  });

  it('clear frees the run before a new one is built', () => {
    const views = evaluation();
    const current = new CurrentRun(views);
    const run = fakeRun();
    current.replace(run, store);
    current.clear();
    expect(current.run).toBeNull();
    expect(run.dispose).toHaveBeenCalledOnce();
  });
});
