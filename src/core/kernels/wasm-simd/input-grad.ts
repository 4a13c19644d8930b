import type * as tf from '@tensorflow/tfjs';
import { convGeometry, convInfo } from './conv-geometry';
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
 * The input gradient of a convolution as our own SIMD kernels, split by images across our kernel threads:
 * - strided: assembly/conv-input-grad.ts takes only the taps each input pixel gets (the convolution over
 *   zero-dilated dy that XNNPACK would run multiplies 3 zeros in 4 at stride 2);
 * - stride 1: a convolution of dy with the filter mirrored and transposed (assembly/conv-forward.ts, faster
 *   there than the gradient kernel), the filter rearranged by one small kernel instead of Reverse + Transpose.
 * Null where neither applies (Cin not a multiple of 4, padding wider than the kernel, no prepared kernels).
 */
export function inputGradInWasm(backend: tf.KernelBackend, a: InputGradArgs): tf.TensorInfo | null {
  const own = ownWasmKernels(backend);
  const [kh, kw, cin, cout] = a.filter.shape as [number, number, number, number];
  const info = convInfo(a.inputShape, [kh, kw, cin, cout], a.strides, a.pad, a.dimRoundingMode);
  const strided = info.strideHeight > 1 || info.strideWidth > 1;
  const { top, left } = info.padInfo;
  const padFits = top >= 0 && left >= 0 && top <= kh - 1 && left <= kw - 1;
  if (!own || cin % 4 !== 0 || a.dy.dtype !== 'float32' || (!strided && !padFits)) return null;
  const heap = backend as unknown as WasmHeapBackend;
  const transposed = heap.makeOutput([kh, kw, cout, cin], 'float32');
  const dx = heap.makeOutput([...a.inputShape], 'float32');
  const transposedAt = heap.getMemoryOffset(transposed.dataId);
  // The filter is small: rearranged on this thread (its "images" are the kernel taps).
  runOwnKernel(own, 'transposeFilter', {
    firstImage: 0,
    endImage: kh * kw,
    args: [heap.getMemoryOffset(a.filter.dataId), transposedAt, kh, kw, cin, cout, strided ? 0 : 1],
    onThisThread: true,
  });
  const [dyAt, dxAt] = [heap.getMemoryOffset(a.dy.dataId), heap.getMemoryOffset(dx.dataId)];
  const [h, w, oh, ow] = [info.inHeight, info.inWidth, info.outHeight, info.outWidth];
  runOwnKernel(own, strided ? 'convInputGrad' : 'convForward', {
    firstImage: 0,
    endImage: info.batchSize,
    args: strided
      ? [dyAt, transposedAt, dxAt, ...convGeometry(info)]
      : // dy [OH, OW, Cout] convolved into dx [H, W, Cin], padded by the kernel size less the forward padding.
        [dyAt, transposedAt, dxAt, oh, ow, cout, h, w, cin, kh, kw, 1, 1, kh - 1 - top, kw - 1 - left],
  });
  heap.disposeData(transposed.dataId);
  return dx;
}
