import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
// The package's own script, copied as a file (not bundled, not minified): the wasm pthreads import it.
import wasmThreadedSimdScript from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?url';
import { installWasmBackend } from '../core/backend/wasm-threads';

/**
 * Registers WebGPU and WebAssembly beside tfjs's own WebGL and CPU backends. The wasm binaries are
 * served by Vite from their package. WebAssembly runs with SIMD and one thread per core when the page is
 * cross-origin isolated (core/backend/wasm-threads.ts says why tfjs cannot start its threads by itself here).
 */
export function registerBackends(): void {
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
  });
  installWasmBackend({ threadedSimdWasm: wasmThreadedSimd, threadedSimdScript: wasmThreadedSimdScript });
}
