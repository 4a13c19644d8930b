/// <reference lib="webworker" />
import type { Command, WorkerEvent } from '../protocol/messages';
import { registerBackends } from './register-backends';
import { Session } from './session';

declare const self: DedicatedWorkerGlobalScope;

registerBackends();
const session = new Session((event: WorkerEvent, transfer: Transferable[] = []) => self.postMessage(event, transfer));
self.onmessage = (message: MessageEvent<Command>) => {
  void session.handle(message.data);
};
