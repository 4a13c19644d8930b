import type { ControlLayout, KernelThreadStart } from './kernel-thread-body';

const LAYOUT: ControlLayout = {
  seq: 0,
  nextPart: 1,
  partsDone: 2,
  parts: 3,
  kernel: 4,
  firstImage: 5,
  endImage: 6,
  outArg: 7,
  outStride: 8,
  argCount: 9,
  started: 10,
  wakes: 11,
  args: 12,
};
const MAX_ARGS = 32;
/** A part claimed after this is past the end: the job is closed for late threads. */
const CLOSED = 1 << 30;
/** Parts per thread: small enough parts that a thread slowed by the OS does not hold up the others. */
const PARTS_PER_THREAD = 4;
/** A thread that claimed a part and did not finish it in this long has died; the call fails instead of hanging. */
const STALL_MS = 60_000;

/** Starts one kernel thread (a browser worker, or a worker_threads worker in Node) with this message. */
export type SpawnKernelThread = (start: KernelThreadStart) => { terminate(): void };

export interface KernelCall {
  /** Index of the kernel among the module's exported functions sorted by name. */
  kernel: number;
  firstImage: number;
  endImage: number;
  /** The kernel's arguments after n0, n1 (int32; pointers are byte offsets, wrapped to int32). */
  args: readonly number[];
  /** Per-thread output: `args[outArg]` moves by `outStride` bytes for each thread index. */
  perThreadOut?: { outArg: number; outStride: number };
}

/**
 * Runs calls of our wasm kernels on `threads` threads (this one and `threads - 1` helpers) over a shared heap. The
 * calling thread publishes the job, claims parts like every helper, and then waits (spinning: the page's main thread may
 * not block) for parts other threads claimed. Calls come one at a time from one thread, as tfjs runs kernels.
 */
export class KernelThreads {
  private readonly control = new SharedArrayBuffer((LAYOUT.args + MAX_ARGS) * 4);
  private readonly words = new Int32Array(this.control);
  private readonly workers: Array<{ terminate(): void }> = [];
  private seq = 0;
  /** Parts run so far, and how many of them other threads ran (a bench figure: are the threads helping?). */
  readonly parts = { total: 0, byOtherThreads: 0 };

  constructor(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    readonly threads: number,
    spawn: SpawnKernelThread,
  ) {
    this.words[LAYOUT.nextPart] = CLOSED;
    for (let thread = 1; thread < threads; thread++)
      this.workers.push(spawn({ module, memory, control: this.control, layout: LAYOUT, thread }));
  }

  run(call: KernelCall, kernels: ReadonlyArray<(...args: number[]) => void>): void {
    const w = this.words;
    const images = call.endImage - call.firstImage;
    const parts = Math.max(1, Math.min(images, this.threads * PARTS_PER_THREAD));
    if (call.args.length > MAX_ARGS) throw new Error(`a wasm kernel call takes at most ${MAX_ARGS} arguments`);
    Atomics.store(w, LAYOUT.kernel, call.kernel);
    Atomics.store(w, LAYOUT.firstImage, call.firstImage);
    Atomics.store(w, LAYOUT.endImage, call.endImage);
    Atomics.store(w, LAYOUT.outArg, call.perThreadOut?.outArg ?? -1);
    Atomics.store(w, LAYOUT.outStride, call.perThreadOut?.outStride ?? 0);
    Atomics.store(w, LAYOUT.argCount, call.args.length);
    for (const [i, value] of call.args.entries()) Atomics.store(w, LAYOUT.args + i, value);
    Atomics.store(w, LAYOUT.parts, parts);
    Atomics.store(w, LAYOUT.partsDone, 0);
    Atomics.store(w, LAYOUT.nextPart, 0);
    this.seq = (this.seq + 1) & 0x3fffffff;
    Atomics.store(w, LAYOUT.seq, this.seq);
    Atomics.notify(w, LAYOUT.seq);
    const kernel = kernels[call.kernel];
    if (!kernel) throw new Error(`no wasm kernel number ${call.kernel}`);
    let mine = 0;
    for (;;) {
      const part = Atomics.add(w, LAYOUT.nextPart, 1);
      if (part >= parts) break;
      mine++;
      kernel(
        call.firstImage + Math.floor((part * images) / parts),
        call.firstImage + Math.floor(((part + 1) * images) / parts),
        ...call.args,
      );
      Atomics.add(w, LAYOUT.partsDone, 1);
    }
    Atomics.store(w, LAYOUT.nextPart, CLOSED);
    this.parts.total += parts;
    this.parts.byOtherThreads += parts - mine;
    const started = performance.now();
    for (let spins = 0; Atomics.load(w, LAYOUT.partsDone) < parts; spins++) {
      if ((spins & 0xffff) === 0 && performance.now() - started > STALL_MS)
        throw new Error('a WebAssembly kernel thread stopped responding');
    }
  }

  /**
   * Waits (up to `timeoutMs`) until every helper has started. A browser starts a worker only once the thread
   * that created it returns to its event loop, which a training loop awaiting only resolved promises never
   * does: without this wait the helpers of a busy thread never start (measured in the bench page: none did).
   */
  async started(timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (this.helpers().started < this.threads - 1) {
      if (performance.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return true;
  }

  /** Of the parts run so far, the share other threads ran; null before the first call. */
  helpedShare(): number | null {
    return this.parts.total > 0 ? this.parts.byOtherThreads / this.parts.total : null;
  }

  /** Helper threads started so far, and how often they woke for a job. */
  helpers(): { started: number; wakes: number } {
    return { started: Atomics.load(this.words, LAYOUT.started), wakes: Atomics.load(this.words, LAYOUT.wakes) };
  }

  dispose(): void {
    Atomics.store(this.words, LAYOUT.seq, -1);
    Atomics.notify(this.words, LAYOUT.seq);
    for (const worker of this.workers) worker.terminate();
  }
}
