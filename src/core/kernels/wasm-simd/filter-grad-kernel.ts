import type * as tf from '@tensorflow/tfjs';
import { type CustomKernel, runReplacedKernel } from '../registry';
import { convGeometry, convInfo } from './conv-geometry';
import { ownWasmKernels, runOwnKernel } from './own-module';
import type { WasmHeapBackend } from './wasm-heap';

/** Id in the kernel registry. */
export const WASM_FILTER_GRAD_ID = 'wasm-filter-grad';

interface FilterGradAttrs {
  filterShape: [number, number, number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * Conv2DBackpropFilter on wasm as our own SIMD kernel (assembly/conv-filter-grad.ts), split across our kernel
 * threads by images, each thread summing into its own copy of dW that this thread then adds up. Shapes the
 * kernel does not take (NCHW, Cout not a multiple of 4, an unprepared backend) go to the kernel it replaced.
 */
const filterGradKernel: tf.KernelFunc = (args) => {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as FilterGradAttrs;
  const own = ownWasmKernels(args.backend as tf.KernelBackend);
  const [kh, kw, cin, cout] = attrs.filterShape;
  if (!own || attrs.dataFormat !== 'NHWC' || cout % 4 !== 0 || x.dtype !== 'float32')
    return runReplacedKernel('Conv2DBackpropFilter', 'wasm', args);
  const info = convInfo(x.shape, attrs.filterShape, attrs.strides, attrs.pad, attrs.dimRoundingMode);
  const backend = args.backend as unknown as WasmHeapBackend;
  const size = kh * kw * cin * cout;
  const out = backend.makeOutput([...attrs.filterShape], 'float32');
  const partials = own.threads > 1 ? backend.makeOutput([own.threads, size], 'float32') : out;
  // Views after every malloc: a growing heap detaches earlier ones.
  backend.typedArrayFromHeap(partials).fill(0);
  runOwnKernel(own, 'filterGrad', {
    firstImage: 0,
    endImage: info.batchSize,
    args: [
      backend.getMemoryOffset(x.dataId),
      backend.getMemoryOffset(dy.dataId),
      backend.getMemoryOffset(partials.dataId),
      ...convGeometry(info),
    ],
    perThreadOut: { outArg: 2, outStride: size * 4 },
  });
  if (partials !== out) {
    const sums = backend.typedArrayFromHeap(partials);
    const dw = backend.typedArrayFromHeap(out);
    dw.set(sums.subarray(0, size));
    for (let t = 1; t < own.threads; t++) for (let i = 0, at = t * size; i < size; i++) dw[i] = dw[i]! + sums[at + i]!;
    backend.disposeData(partials.dataId);
  }
  return out;
};

export const wasmFilterGradKernel: CustomKernel = {
  id: WASM_FILTER_GRAD_ID,
  summary: 'Conv2DBackpropFilter as our own WebAssembly SIMD kernel, on our kernel threads',
  backendName: 'wasm',
  overrides: [{ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: filterGradKernel }],
};
