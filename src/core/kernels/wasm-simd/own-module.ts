import type * as tf from '@tensorflow/tfjs';
import { type KernelCall, KernelThreads, type SpawnKernelThread } from './kernel-threads';
import { KERNELS_WASM_BASE64 } from './kernels-wasm';

/** The functions assembly/index.ts exports, in the order kernel-thread-body.ts numbers them (sorted by name). */
export const KERNEL_NAMES = [
  'bnAffine',
  'bnGradPartial',
  'bnMomentsPartial',
  'colorJitter',
  'convForward',
  'convInputGrad',
  'filterGrad',
  'transposeFilter',
] as const;
export type KernelName = (typeof KERNEL_NAMES)[number];

/** Our kernels over one tfjs-backend-wasm heap. */
export interface OwnWasmKernels {
  readonly kernels: ReadonlyArray<(...args: number[]) => void>;
  /** Threads a call is split across (1: this thread only). */
  readonly threads: number;
  readonly pool: KernelThreads | null;
}

interface EmscriptenModule {
  /** The threaded build's shared memory. */
  wasmMemory?: WebAssembly.Memory;
  /** The other builds export theirs. */
  asm?: { memory?: WebAssembly.Memory };
}

const ready = new WeakMap<object, OwnWasmKernels>();
/** How long preparing waits for the kernel threads to start. */
const HELPERS_START_MS = 5_000;

/** The heap of a tfjs-backend-wasm backend, or null for any other backend. */
function heapOf(backend: tf.KernelBackend): WebAssembly.Memory | null {
  const module = (backend as unknown as { wasm?: EmscriptenModule }).wasm;
  return module?.wasmMemory ?? module?.asm?.memory ?? null;
}

function bytesOf(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/**
 * Compiles our kernels against the backend's heap (once per backend) and, where that heap is shared and
 * `threads` > 1, starts `threads - 1` kernel threads with `spawn`. Null where they cannot run: not the wasm
 * backend, or WebAssembly without SIMD; the kernels that use them then leave the work to the stock path.
 */
export async function prepareOwnWasmKernels(
  backend: tf.KernelBackend,
  threads = 1,
  spawn?: SpawnKernelThread,
): Promise<OwnWasmKernels | null> {
  const known = ready.get(backend);
  if (known) return known;
  const memory = heapOf(backend);
  if (!memory) return null;
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const bytes = bytesOf(shared ? KERNELS_WASM_BASE64.shared : KERNELS_WASM_BASE64.plain);
  if (!WebAssembly.validate(bytes)) return null;
  const module = await WebAssembly.compile(bytes);
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const exported = instance.exports as Record<string, unknown>;
  const kernels = KERNEL_NAMES.map((name) => {
    const kernel = exported[name];
    if (typeof kernel !== 'function') throw new Error(`our wasm module has no kernel '${name}'`);
    return kernel as (...args: number[]) => void;
  });
  const pool = shared && threads > 1 && spawn ? new KernelThreads(module, memory, threads, spawn) : null;
  // Until they start, this thread runs every part itself: correct, only slower.
  await pool?.started(HELPERS_START_MS);
  const own: OwnWasmKernels = { kernels, threads: pool ? threads : 1, pool };
  ready.set(backend, own);
  return own;
}

/** The kernels prepared for this backend, or null. */
export function ownWasmKernels(backend: tf.KernelBackend): OwnWasmKernels | null {
  return ready.get(backend) ?? null;
}

/** Stops the kernel threads of this backend (when it is disposed). */
export function releaseOwnWasmKernels(backend: tf.KernelBackend): void {
  ready.get(backend)?.pool?.dispose();
  ready.delete(backend);
}

/**
 * Runs kernel `name` over images firstImage .. endImage-1, split across the threads where there are any
 * (unless `onThisThread`, for work too small to share).
 */
export function runOwnKernel(
  own: OwnWasmKernels,
  name: KernelName,
  call: Omit<KernelCall, 'kernel'> & { onThisThread?: boolean },
): void {
  const kernel = KERNEL_NAMES.indexOf(name);
  if (own.pool && !call.onThisThread) {
    own.pool.run({ ...call, kernel }, own.kernels);
    return;
  }
  own.kernels[kernel]!(call.firstImage, call.endImage, ...call.args);
}
