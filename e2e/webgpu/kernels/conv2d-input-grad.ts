/**
 * An input-gradient kernel per stride phase, measured and left out of the app (README): it lives here,
 * beside the gpu tests and the conv-grad bench that compare it with stock tfjs, not in src/.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { Conv2DDerInputMMProgram } from '@tensorflow/tfjs-backend-webgpu/dist/conv_backprop_mm_webgpu';
import { Conv2DDerInputProgram } from '@tensorflow/tfjs-backend-webgpu/dist/conv_backprop_webgpu';
import type { CustomKernel } from '../../../src/core/kernels/registry';
import { convGradTuning } from '../../../src/core/kernels/webgpu/conv2d-filter-grad-programs';
import { Conv2DInputGradProgram } from './conv2d-input-grad-program';

type InputGradArgs = {
  inputs: { dy: tf.TensorInfo; filter: tf.TensorInfo };
  backend: unknown;
  attrs: tf.Conv2DBackpropInputAttrs;
};

function conv2dInputGrad(args: InputGradArgs): tf.TensorInfo {
  const backend = args.backend as WebGPUBackend;
  const { dy, filter } = args.inputs;
  const { inputShape, strides, pad, dataFormat, dimRoundingMode } = args.attrs;
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(dataFormat),
  );
  const sH = info.strideHeight;
  const sW = info.strideWidth;
  if (info.dataFormat !== 'channelsLast' || (sH === 1 && sW === 1)) {
    // Exactly what stock runs: its direct program (tfjs 4.22's default, WEBGPU_USE_NAIVE_CONV2D_TRANSPOSE),
    // which skips non-dividing taps, or its implicit GEMM. At stride 1 ours measured no faster.
    const uniforms: { type: string; data: number[] }[] = [
      [info.filterHeight, info.filterWidth],
      [info.filterHeight - 1 - info.padInfo.top, info.filterWidth - 1 - info.padInfo.left],
      [sH, sW],
      [info.batchSize, info.outHeight, info.outWidth, info.outChannels],
    ].map((data) => ({ type: 'int32', data }));
    if (tf.env().getBool('WEBGPU_USE_NAIVE_CONV2D_TRANSPOSE') || info.dataFormat !== 'channelsLast') {
      return backend.runWebGPUProgram(new Conv2DDerInputProgram(info), [dy, filter], 'float32', uniforms);
    }
    const inner = info.filterHeight * info.filterWidth * info.outChannels;
    for (const v of [info.inHeight * info.inWidth, info.inChannels, inner])
      uniforms.push({ type: 'uint32', data: [v] });
    return backend.runWebGPUProgram(new Conv2DDerInputMMProgram(info), [dy, filter], 'float32', uniforms);
  }
  const phaseRows = info.batchSize * Math.ceil(info.inHeight / sH) * Math.ceil(info.inWidth / sW);
  const program = new Conv2DInputGradProgram(
    [...info.inShape],
    phaseRows,
    sH * sW,
    convGradTuning.tile,
    info.outChannels % 4 === 0,
  );
  const uniforms = [
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.outChannels,
    sH,
    sW,
    info.padInfo.top,
    info.padInfo.left,
    info.filterHeight,
    info.filterWidth,
    info.batchSize,
  ].map((v) => ({ type: 'int32', data: [v] }));
  return backend.runWebGPUProgram(program, [dy, filter], 'float32', uniforms);
}

/**
 * Not in the app's KERNELS (src/core/kernels/index.ts): on Dawn/SwiftShader it beat stock's default
 * direct program only on ResNet-18's first stride-2 layer (1.56x) and lost on the others (0.65-0.84x;
 * e2e/webgpu/conv2d-grad.bench.gpu-test.ts). The gpu-test and the bench define it, so it stays correct
 * and can be timed on a real GPU, where the tiled GEMM may well win.
 */
export const conv2dInputGradKernel: CustomKernel = {
  id: 'conv2d-input-grad',
  summary:
    'Strided Conv2DBackpropInput as a tiled implicit GEMM per stride phase (stock visits every tap of every pixel)',
  backendName: 'webgpu',
  overrides: [
    {
      kernelName: tf.Conv2DBackpropInput,
      backendName: 'webgpu',
      kernelFunc: conv2dInputGrad as unknown as tf.KernelFunc,
    },
  ],
};
