/** Typed routing of worker events: which events a slice owns, and the check that a switch covers them all. */
import type { WorkerEvent } from '../protocol/messages';

export type EventType = WorkerEvent['type'];
export type EventOf<T extends EventType> = Extract<WorkerEvent, { type: T }>;

/** Whether `event` is one of `types` (a slice's owned events), narrowing it to those. */
export function isOneOf<T extends EventType>(types: readonly T[], event: WorkerEvent): event is EventOf<T> {
  return (types as readonly EventType[]).includes(event.type);
}

/** The `default` of an exhaustive switch: a new event type left out is a compile error here. */
export function unhandledEvent(event: never): never {
  throw new Error(`unhandled worker event: ${(event as { type?: unknown }).type}`);
}
