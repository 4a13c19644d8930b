/// <reference lib="webworker" />
import { type KernelThreadStart, runKernelThread } from './kernel-thread-body';

// One kernel thread in the browser (started by kernel-threads.ts from the training worker).
self.onmessage = (event: MessageEvent<KernelThreadStart>) => runKernelThread(event.data);
