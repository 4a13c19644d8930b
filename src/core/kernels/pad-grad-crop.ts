import * as tf from '@tensorflow/tfjs';
import { type CustomKernel, isCustomKernelEnabled } from './registry';

/** Id in the kernel registry; the PadV2 gradient crops with a convolution only while it is enabled on wasm. */
export const PAD_GRAD_CROP_ID = 'wasm-pad-grad-crop';

/**
 * The gradient of tf.pad (the ZeroPadding2D before each strided convolution) is a crop of dy, which tfjs runs
 * as `Slice`; tfjs-backend-wasm 4.22's Slice costs time in proportion to the whole input and took 13-26 ms
 * per crop of [64, 34, 34, 32]..[64, 10, 10, 128] in a step. For an NHWC crop of rows and columns only, the
 * same values come from a 'valid' depthwise convolution (XNNPACK) with a one-hot (pt + pb + 1) x (pl + pr + 1)
 * filter: every output is x * 1 plus products with 0, exact for finite values (a non-finite dy would spread
 * to its neighbours; the step is diverged then anyway).
 */
export const padGradCropKernel: CustomKernel = {
  id: PAD_GRAD_CROP_ID,
  summary: 'PadV2 gradient (the crop of dy) as a one-hot depthwise convolution instead of Slice',
  backendName: 'wasm',
  overrides: [],
};

type Paddings = ReadonlyArray<readonly [number, number]>;

/** dy [N, H + pt + pb, W + pl + pr, C] cropped to [N, H, W, C] by a depthwise convolution. */
export function cropByDepthwise(dy: tf.Tensor4D, paddings: Paddings): tf.Tensor4D {
  return tf.tidy(() => {
    const [[top], [left]] = [paddings[1]!, paddings[2]!];
    const kh = paddings[1]![0] + paddings[1]![1] + 1;
    const kw = paddings[2]![0] + paddings[2]![1] + 1;
    const channels = dy.shape[3];
    const filter = new Float32Array(kh * kw * channels);
    filter.fill(1, (top * kw + left) * channels, (top * kw + left + 1) * channels);
    return tf.depthwiseConv2d(dy, tf.tensor4d(filter, [kh, kw, channels, 1]), 1, 'valid');
  });
}

const cropsRowsAndColumnsOnly = (paddings: Paddings, rank: number): boolean =>
  rank === 4 && paddings[0]![0] === 0 && paddings[0]![1] === 0 && paddings[3]![0] === 0 && paddings[3]![1] === 0;

/**
 * Replaces tfjs's PadV2 gradient (tfjs-core gradients/PadV2_grad: slice(dy, begin, x.shape)) with one that
 * crops by convolution while the kernel is enabled on wasm, and slices exactly as tfjs otherwise.
 */
export function registerPadGradient(): void {
  tf.registerGradient({
    kernelName: 'PadV2',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const x = saved[0]!;
      const { paddings } = attrs as unknown as { paddings: Paddings };
      const gradient = dy as tf.Tensor;
      const fast =
        tf.getBackend() === 'wasm' &&
        isCustomKernelEnabled(PAD_GRAD_CROP_ID) &&
        gradient.dtype === 'float32' &&
        cropsRowsAndColumnsOnly(paddings, gradient.rank);
      return {
        x: () =>
          fast
            ? cropByDepthwise(gradient as tf.Tensor4D, paddings)
            : tf.slice(
                gradient,
                paddings.map((p) => p[0]),
                x.shape,
              ),
      };
    },
  });
}
