import { describe, expect, it } from 'vitest';
import {
  isActive,
  nextRunState,
  PHASE_OF,
  RUN_TRANSITIONS,
  type RunInput,
  type RunState,
  RunTransitionError,
  takesInput,
} from './run-state';

const ALL_STATES = Object.keys(RUN_TRANSITIONS) as RunState[];
const COMMANDS: RunInput[] = ['pause', 'resume', 'stop'];
const RUN_INPUTS: RunInput[] = ['continue', 'begin', 'pauseReached', 'finished', 'fault', 'fail', 'settle', 'abandon'];

/** Plays `inputs` from `from`, returning every state passed through. */
function play(from: RunState, ...inputs: RunInput[]): RunState[] {
  const states = [from];
  for (const input of inputs) states.push(nextRunState(states.at(-1)!, input));
  return states;
}

describe('the run state machine', () => {
  it('a run begins, trains and finishes', () => {
    expect(play('preparing', 'begin', 'finished')).toEqual(['preparing', 'running', 'done']);
  });

  it('pause waits for the step to end; resume goes back to running', () => {
    expect(play('running', 'pause', 'pauseReached', 'resume')).toEqual(['running', 'pausing', 'paused', 'running']);
    // Resume before the pause was reached cancels it.
    expect(play('running', 'pause', 'resume')).toEqual(['running', 'pausing', 'running']);
    // The last step ended with a pause pending: the run is done, not paused.
    expect(nextRunState('pausing', 'finished')).toBe('done');
  });

  it('stop ends the run after the current step, also from pause and before the loop began', () => {
    expect(play('running', 'stop', 'finished')).toEqual(['running', 'stopping', 'stopped']);
    expect(play('paused', 'stop', 'finished')).toEqual(['paused', 'stopping', 'stopped']);
    expect(play('pausing', 'stop', 'finished')).toEqual(['pausing', 'stopping', 'stopped']);
    expect(play('preparing', 'stop', 'begin', 'finished')).toEqual(['preparing', 'stopping', 'stopping', 'stopped']);
  });

  it('continue makes a stopped run ready to begin again; a settled or finished one cannot', () => {
    expect(play('stopped', 'continue', 'begin')).toEqual(['stopped', 'preparing', 'running']);
    for (const state of ['settled', 'done', 'error', 'running'] as const)
      expect(() => nextRunState(state, 'continue'), state).toThrow(RunTransitionError);
  });

  it('a fault while training waits for recovery, shown as paused; a failed recovery ends in error', () => {
    for (const state of ['running', 'pausing', 'stopping'] as const)
      expect(nextRunState(state, 'fault')).toBe('recovering');
    expect(PHASE_OF.recovering).toBe('paused');
    expect(nextRunState('recovering', 'fail')).toBe('error');
    expect(PHASE_OF.error).toBe('error');
    // A run being recovered ignores commands: it is about to be replaced.
    for (const command of COMMANDS) expect(nextRunState('recovering', command)).toBe('recovering');
    expect(isActive('recovering')).toBe(true);
  });

  it('a failure nothing recovers ends in error from every training state', () => {
    for (const state of ['preparing', 'running', 'pausing', 'stopping', 'recovering'] as const)
      expect(nextRunState(state, 'fail')).toBe('error');
  });

  it('a restored run that will not train settles as stopped, and cannot be continued', () => {
    expect(play('preparing', 'settle')).toEqual(['preparing', 'settled']);
    expect(PHASE_OF.settled).toBe('stopped');
    expect(isActive('settled')).toBe(false);
    expect(nextRunState('preparing', 'abandon')).toBe('abandoned');
    expect(PHASE_OF.abandoned).toBe('idle');
  });

  it('commands a state does not take are ignored; other inputs it does not take are errors', () => {
    for (const state of ALL_STATES) {
      for (const command of COMMANDS)
        if (!takesInput(state, command)) expect(nextRunState(state, command), `${state} + ${command}`).toBe(state);
      for (const input of RUN_INPUTS)
        if (!takesInput(state, input))
          expect(() => nextRunState(state, input), `${state} + ${input}`).toThrow(RunTransitionError);
    }
    expect(nextRunState('done', 'stop')).toBe('done');
    expect(nextRunState('preparing', 'pause')).toBe('preparing');
  });

  it('ended states take no command and hold nothing', () => {
    for (const state of ['done', 'error', 'stopped', 'settled', 'abandoned'] as const) {
      expect(isActive(state), state).toBe(false);
      for (const command of COMMANDS) expect(takesInput(state, command), `${state} + ${command}`).toBe(false);
    }
  });
});
