/** Errors shown in the banner: each names where it happened (a file, a setting, the worker). */
import { type EventOf, unhandledEvent } from '../slice-events';

export interface AppError {
  id: number;
  /** Where it happened, e.g. 'Loading sample images' or 'Training step 12'. */
  context: string;
  name: string;
  message: string;
}

export interface ErrorsState {
  errors: AppError[];
  nextId: number;
}

/** Keep the banner readable: older errors beyond this are dropped. */
export const MAX_ERRORS = 5;

export const initialErrorsState = (): ErrorsState => ({ errors: [], nextId: 1 });

export function addError(state: ErrorsState, error: Omit<AppError, 'id'>): ErrorsState {
  const last = state.errors.at(-1);
  // The same error again (a retry loop, a flood of identical failures) is shown once.
  if (last && last.context === error.context && last.message === error.message) return state;
  const errors = [...state.errors, { ...error, id: state.nextId }].slice(-MAX_ERRORS);
  return { errors, nextId: state.nextId + 1 };
}

/** The worker events this slice answers; store/app-store.ts routes only these here. */
export const ERRORS_EVENTS = ['error', 'recovered'] as const;

export function errorsReducer(state: ErrorsState, event: EventOf<(typeof ERRORS_EVENTS)[number]>): ErrorsState {
  switch (event.type) {
    case 'error':
      return addError(state, { context: event.context, name: event.error.name, message: event.error.message });
    case 'recovered':
      // A notice, not a failure: it stays in the banner after the status line moves on.
      return addError(state, { context: 'Training recovered', name: 'Recovered', message: event.message });
    default:
      return unhandledEvent(event);
  }
}
