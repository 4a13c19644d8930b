import { describe, expect, it } from 'vitest';
import type { FineTuneStatus } from '../../protocol/fine-tune';
import { type FineTuneState, fineTuneReducer, initialFineTuneState, initialFineTuneStatus, rankClasses } from './state';

const status = (patch: Partial<FineTuneStatus>) => ({
  type: 'fineTuneStatus' as const,
  ...initialFineTuneStatus(),
  ...patch,
});
const error = (requestId: number | null, message: string) => ({
  type: 'error' as const,
  requestId,
  context: 'fine-tuning',
  error: { name: 'Error', message },
});

describe('fine-tune slice', () => {
  it('ranks the classes most probable first', () => {
    expect(rankClasses(['a', 'b', 'c'], [0.2, 0.5, 0.3]).map((r) => r.label)).toEqual(['b', 'c', 'a']);
  });

  it('routes each failure to the request it answers; a new fine-tune clears the last try and error', () => {
    let state: FineTuneState = {
      ...initialFineTuneState(),
      startRequestId: 1,
      classifyRequestId: 2,
      exportRequestId: 3,
    };
    state = fineTuneReducer(state, error(1, 'Fine-tuning needs labels'));
    expect(state.startError).toBe('Fine-tuning needs labels');
    expect(state.startRequestId).toBeNull();
    state = fineTuneReducer(state, error(2, 'x.txt: not an image'));
    expect(state.classifyError).toBe('x.txt: not an image');
    state = fineTuneReducer(state, error(3, 'no classifier'));
    expect(state.exportError).toBe('no classifier');
    expect(fineTuneReducer(state, error(null, 'other'))).toBe(state);
    state = fineTuneReducer({ ...state, startRequestId: 4 }, status({ phase: 'preparing', totalSteps: 10 }));
    expect(state.startError).toBe('');
    expect(state.startRequestId).toBeNull();
    expect(state.status.totalSteps).toBe(10);
  });

  it('keeps only the answer to the latest classify request', () => {
    const answer = (requestId: number) => ({
      type: 'classified' as const,
      requestId,
      name: 'bag.png',
      labelNames: ['bag', 'coat'],
      probabilities: new Float32Array([0.75, 0.25]),
    });
    const state = { ...initialFineTuneState(), classifyRequestId: 5 };
    expect(fineTuneReducer(state, answer(4))).toBe(state);
    const next = fineTuneReducer(state, answer(5));
    expect(next.classified?.ranked).toEqual([
      { label: 'bag', probability: 0.75 },
      { label: 'coat', probability: 0.25 },
    ]);
    expect(next.classifyRequestId).toBeNull();
  });
});
