import { describe, expect, it } from 'vitest';
import { errorsReducer, initialErrorsState } from './state';

describe('the error banner', () => {
  it('shows a recovery notice with what was done, and failures with their context', () => {
    let state = initialErrorsState();
    state = errorsReducer(state, {
      type: 'recovered',
      fault: 'out-of-memory',
      message: 'Out of memory at batch size 8: training started again at batch size 4.',
    });
    state = errorsReducer(state, {
      type: 'error',
      requestId: null,
      context: 'training',
      error: { name: 'Error', message: 'boom' },
    });
    expect(state.errors.map((e) => [e.context, e.message])).toEqual([
      ['Training recovered', 'Out of memory at batch size 8: training started again at batch size 4.'],
      ['training', 'boom'],
    ]);
  });
});
