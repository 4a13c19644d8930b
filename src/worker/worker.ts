/// <reference lib="webworker" />
import type { Command, WorkerEvent } from '../protocol/messages';
import { registerBackends } from './register-backends';
import { Session } from './session';
import { installTestHooks } from './test-hooks';

declare const self: DedicatedWorkerGlobalScope;

registerBackends();
installTestHooks();
const session = new Session((event: WorkerEvent, transfer: Transferable[] = []) => self.postMessage(event, transfer));
self.onmessage = (message: MessageEvent<Command>) => {
  void session.handle(message.data);
};
