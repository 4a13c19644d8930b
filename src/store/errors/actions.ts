import { useAppStore } from '../app-store';
import { addError } from './state';

/** Show an error in the banner; `context` names the file or setting at fault. */
export function reportError(context: string, error: unknown): void {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  useAppStore.setState((s) => ({ errors: addError(s.errors, { context, name, message }) }));
}

export function dismissErrors(): void {
  useAppStore.setState((s) => ({ errors: { ...s.errors, errors: [] } }));
}

export function dismissError(id: number): void {
  useAppStore.setState((s) => ({ errors: { ...s.errors, errors: s.errors.errors.filter((e) => e.id !== id) } }));
}
