import * as tf from '@tensorflow/tfjs';
import { ownWasmKernels, runOwnKernel } from './own-module';
import type { WasmHeapBackend } from './wasm-heap';

export interface InputGradArgs {
  dy: tf.TensorInfo;
  filter: tf.TensorInfo;
  inputShape: [number, number, number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * The input gradient of a strided convolution as our own SIMD kernel (assembly/conv-input-grad.ts), which
 * takes only the taps each input pixel gets (the convolution over zero-dilated dy multiplies 3 zeros in 4 at
 * stride 2), split by images across our kernel threads. Null where it does not apply (stride 1, which runs
 * faster as a convolution through our forward kernel; Cin not a multiple of 4; no prepared kernels).
 */
export function stridedInputGradInWasm(backend: tf.KernelBackend, a: InputGradArgs): tf.TensorInfo | null {
  const own = ownWasmKernels(backend);
  const [kh, kw, cin, cout] = a.filter.shape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(
    a.inputShape,
    [kh, kw, cin, cout],
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
    false,
    'channelsLast',
  );
  const strided = info.strideHeight > 1 || info.strideWidth > 1;
  if (!own || !strided || cin % 4 !== 0 || a.dy.dtype !== 'float32') return null;
  const heap = backend as unknown as WasmHeapBackend;
  const transposed = heap.makeOutput([kh, kw, cout, cin], 'float32');
  const dx = heap.makeOutput([...a.inputShape], 'float32');
  const filterAt = heap.getMemoryOffset(a.filter.dataId);
  const transposedAt = heap.getMemoryOffset(transposed.dataId);
  // The filter is small: transposed on this thread (its "images" are the kernel taps).
  runOwnKernel(own, 'transposeFilter', {
    firstImage: 0,
    endImage: kh * kw,
    args: [filterAt, transposedAt, cin, cout],
    onThisThread: true,
  });
  runOwnKernel(own, 'convInputGrad', {
    firstImage: 0,
    endImage: info.batchSize,
    args: [
      heap.getMemoryOffset(a.dy.dataId),
      transposedAt,
      heap.getMemoryOffset(dx.dataId),
      info.inHeight,
      info.inWidth,
      cin,
      info.outHeight,
      info.outWidth,
      cout,
      kh,
      kw,
      info.strideHeight,
      info.strideWidth,
      info.padInfo.top,
      info.padInfo.left,
    ],
  });
  heap.disposeData(transposed.dataId);
  return dx;
}
