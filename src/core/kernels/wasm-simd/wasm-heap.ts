import type * as tf from '@tensorflow/tfjs';

/** What our kernels use of tfjs-backend-wasm's BackendWasm: its heap allocator and where a tensor lives. */
export interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
  getMemoryOffset(dataId: tf.DataId): number;
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
}
