import * as tf from '@tensorflow/tfjs';
import { type CustomKernel, runReplacedKernel } from '../registry';
import { convGeometry, convInfo } from './conv-geometry';
import { ownWasmKernels, runOwnKernel } from './own-module';
import type { WasmHeapBackend } from './wasm-heap';

/** Id in the kernel registry. */
export const WASM_CONV_FORWARD_ID = 'wasm-conv-forward';

interface ConvAttrs {
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dilations: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  activation?: string;
}

/**
 * Conv2D, and FusedConv2D without bias or activation (what tf.layers runs for our bias-free convolutions),
 * on wasm as our own SIMD kernel (assembly/conv-forward.ts) split by images across our kernel threads. The
 * input gradient's convolutions (conv2d-grad-in-ops.ts) run through Conv2D too. Anything else (NCHW,
 * dilation, a bias or activation, Cout not a multiple of 4, an unprepared backend) goes to the kernel it
 * replaced.
 */
function convForward(kernelName: 'Conv2D' | 'FusedConv2D'): tf.KernelFunc {
  return (args) => {
    const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
    const attrs = args.attrs as unknown as ConvAttrs;
    const own = ownWasmKernels(args.backend as tf.KernelBackend);
    const plain = !bias && !preluActivationWeights && (attrs.activation ?? 'linear') === 'linear';
    const cout = filter?.shape[3] ?? 0;
    const dilated = tf.backend_util.tupleValuesAreOne(attrs.dilations ?? 1) === false;
    if (!own || !x || !filter || !plain || dilated || attrs.dataFormat === 'NCHW' || cout % 4 !== 0)
      return runReplacedKernel(kernelName, 'wasm', args);
    const info = convInfo(x.shape, filter.shape, attrs.strides, attrs.pad, attrs.dimRoundingMode);
    const backend = args.backend as unknown as WasmHeapBackend;
    const out = backend.makeOutput([info.batchSize, info.outHeight, info.outWidth, cout], 'float32');
    runOwnKernel(own, 'convForward', {
      firstImage: 0,
      endImage: info.batchSize,
      args: [
        backend.getMemoryOffset(x.dataId),
        backend.getMemoryOffset(filter.dataId),
        backend.getMemoryOffset(out.dataId),
        ...convGeometry(info),
      ],
    });
    return out;
  };
}

export const wasmConvForwardKernel: CustomKernel = {
  id: WASM_CONV_FORWARD_ID,
  summary: 'Conv2D and plain FusedConv2D as our own WebAssembly SIMD kernel, on our kernel threads',
  backendName: 'wasm',
  overrides: [
    { kernelName: 'Conv2D', backendName: 'wasm', kernelFunc: convForward('Conv2D') },
    { kernelName: 'FusedConv2D', backendName: 'wasm', kernelFunc: convForward('FusedConv2D') },
  ],
};
