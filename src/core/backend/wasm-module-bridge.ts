import { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

// biome-ignore lint/suspicious/noExplicitAny: emscripten's cwrap returns functions of any signature.
type Cwrap = (name: string, returns: 'number' | null, args: 'number'[]) => (...args: any[]) => any;

/**
 * A tfjs backend over an emscripten module of tfjs-backend-wasm that we started ourselves (the threaded SIMD
 * build: wasm-threads.ts in the browser, e2e/bench/cpu/node-wasm-threads.ts in Node), with the bridge
 * BackendWasm expects, exactly as tfjs-backend-wasm's init() builds it. (Emscripten's cwrap is untyped here:
 * the package's types refer to @types/emscripten.)
 */
export function backendOverModule(module: object): BackendWasm {
  const wasm = module as { cwrap: Cwrap; tfjs?: unknown };
  const { cwrap } = wasm;
  wasm.tfjs = {
    init: cwrap('init', null, []),
    initWithThreadsCount: cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: cwrap('get_threads_count', 'number', []),
    registerTensor: cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: cwrap('dispose_data', null, ['number']),
    dispose: cwrap('dispose', null, []),
  };
  return new BackendWasm(wasm as unknown as ConstructorParameters<typeof BackendWasm>[0]);
}
