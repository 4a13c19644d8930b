/** Where each field of a job sits in the control words a kernel call shares with its threads (kernel-threads.ts). */
export interface ControlLayout {
  /** Job number: bumped for each call; threads wait on it. A negative value stops them. */
  seq: number;
  /** The next part to claim (Atomics.add); at least `parts` when the job is closed. */
  nextPart: number;
  partsDone: number;
  parts: number;
  /** Index of the kernel among the module's exported functions, sorted by name. */
  kernel: number;
  firstImage: number;
  endImage: number;
  /** Argument whose pointer is offset by `outStride` bytes per thread (-1: none), for per-thread sums. */
  outArg: number;
  outStride: number;
  argCount: number;
  /** Threads that have started (instantiated the module), and wake-ups they have had: for the bench. */
  started: number;
  wakes: number;
  /** First of `argCount` arguments (after n0, n1). */
  args: number;
}

export interface KernelThreadStart {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  layout: ControlLayout;
  /** This thread's index; the calling thread is 0. */
  thread: number;
}

/**
 * The loop of one kernel thread: waits for a job, claims parts (ranges of images) until none is left and runs
 * the kernel on each over the shared heap. The calling thread claims parts too, so a thread that has not
 * started yet only means less help. Self-contained (no imports, no outer names): Node runs it from its source
 * text in a worker_threads worker, the browser from kernel-thread.worker.ts.
 */
export function runKernelThread(start: KernelThreadStart): void {
  const { layout: at, thread } = start;
  const instance = new WebAssembly.Instance(start.module, { env: { memory: start.memory } });
  const exported = instance.exports as Record<string, unknown>;
  const kernels = Object.keys(exported)
    .filter((name) => typeof exported[name] === 'function')
    .sort()
    .map((name) => exported[name] as (...args: number[]) => void);
  const control = new Int32Array(start.control);
  Atomics.add(control, at.started, 1);
  let seen = 0;
  for (;;) {
    Atomics.wait(control, at.seq, seen);
    seen = Atomics.load(control, at.seq);
    Atomics.add(control, at.wakes, 1);
    if (seen < 0) return;
    for (;;) {
      const part = Atomics.add(control, at.nextPart, 1);
      const parts = Atomics.load(control, at.parts);
      if (part >= parts) break;
      const first = Atomics.load(control, at.firstImage);
      const images = Atomics.load(control, at.endImage) - first;
      const args: number[] = [];
      for (let i = 0; i < Atomics.load(control, at.argCount); i++) args.push(Atomics.load(control, at.args + i));
      const outArg = Atomics.load(control, at.outArg);
      if (outArg >= 0) args[outArg] = (args[outArg] ?? 0) + thread * Atomics.load(control, at.outStride);
      const kernel = kernels[Atomics.load(control, at.kernel)];
      kernel?.(first + Math.floor((part * images) / parts), first + Math.floor(((part + 1) * images) / parts), ...args);
      Atomics.add(control, at.partsDone, 1);
    }
  }
}
