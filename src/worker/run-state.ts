/**
 * A training run's state machine as one transition table (state x input -> state). TrainingRun holds
 * only a RunState and moves it through `nextRunState`; nothing else decides what a command does.
 */
import type { TrainPhase } from '../protocol/messages';

export type RunState =
  /** Built, the loop not started (or made ready again by Continue). */
  | 'preparing'
  | 'running'
  /** Running, with Pause asked for: the loop pauses between steps. */
  | 'pausing'
  | 'paused'
  /** Stop asked for: the loop ends after the current step. */
  | 'stopping'
  /** Stopped early; Continue may train it on. */
  | 'stopped'
  /** Restored but never to train again (its images are not loaded, or it diverged): explore and export only. */
  | 'settled'
  | 'done'
  /** A step failed with a fault the recovery acts on (worker/fault-recovery.ts): the run waits to be replaced. */
  | 'recovering'
  | 'error'
  /** Its checkpoint could not be restored: the run never existed. */
  | 'abandoned';

export type RunInput =
  /** Commands from the person: honoured where the table has them, ignored elsewhere. */
  | 'pause'
  | 'resume'
  | 'stop'
  /** Continue after Stop: the same run is made ready to train on. */
  | 'continue'
  /** From the run itself: the loop starts, */
  | 'begin'
  /** reached a pending pause between steps (unsaved steps saved), */
  | 'pauseReached'
  /** ended (the planned total reached, or a stop honoured), */
  | 'finished'
  /** failed with a fault the recovery may fix, */
  | 'fault'
  /** failed for good (or the recovery did), */
  | 'fail'
  /** is a restored run that will not train, */
  | 'settle'
  /** or could not be restored. */
  | 'abandon';

const COMMANDS: ReadonlySet<RunInput> = new Set(['pause', 'resume', 'stop']);

/** Every transition there is. A command not listed for a state is ignored; any other input is a bug. */
export const RUN_TRANSITIONS: Readonly<Record<RunState, Partial<Record<RunInput, RunState>>>> = {
  preparing: { begin: 'running', stop: 'stopping', settle: 'settled', abandon: 'abandoned', fail: 'error' },
  running: { pause: 'pausing', stop: 'stopping', finished: 'done', fault: 'recovering', fail: 'error' },
  pausing: {
    resume: 'running',
    stop: 'stopping',
    pauseReached: 'paused',
    finished: 'done',
    fault: 'recovering',
    fail: 'error',
  },
  paused: { resume: 'running', stop: 'stopping' },
  // 'begin' here: Stop arrived before the loop started; it ends at once.
  stopping: { begin: 'stopping', finished: 'stopped', fault: 'recovering', fail: 'error' },
  stopped: { continue: 'preparing', settle: 'settled' },
  settled: { settle: 'settled' },
  done: {},
  recovering: { fail: 'error' },
  error: {},
  abandoned: {},
};

export class RunTransitionError extends Error {
  override name = 'RunTransitionError';
}

/** Whether `state` has a transition for `input` (a command it does not take is ignored). */
export function takesInput(state: RunState, input: RunInput): boolean {
  return RUN_TRANSITIONS[state][input] !== undefined;
}

/** The state after `input` in `state`; throws RunTransitionError for a run input the state does not take. */
export function nextRunState(state: RunState, input: RunInput): RunState {
  const next = RUN_TRANSITIONS[state][input];
  if (next !== undefined) return next;
  if (COMMANDS.has(input)) return state;
  throw new RunTransitionError(`A run that is ${state} cannot ${input}.`);
}

/** What the UI is told: a pending pause is still running, a run being recovered is paused. */
export const PHASE_OF: Readonly<Record<RunState, TrainPhase>> = {
  preparing: 'preparing',
  running: 'running',
  pausing: 'running',
  paused: 'paused',
  stopping: 'stopping',
  stopped: 'stopped',
  settled: 'stopped',
  done: 'done',
  recovering: 'paused',
  error: 'error',
  abandoned: 'idle',
};

/** States that hold the session: no other run, ingest or backend change until they end. */
export function isActive(state: RunState): boolean {
  return (
    state === 'preparing' ||
    state === 'running' ||
    state === 'pausing' ||
    state === 'paused' ||
    state === 'stopping' ||
    state === 'recovering'
  );
}
