import * as tf from '@tensorflow/tfjs';
import type { CustomKernel } from '../kernels/registry';
import { inputGradInWasm } from '../kernels/wasm-simd/input-grad';
import { flippedFilter } from './conv2d-grad-matmul';

type Pad = 'same' | 'valid' | number;

function pairOf(value: number | [number, number]): [number, number] {
  return typeof value === 'number' ? [value, value] : value;
}

/** Leading padding and padded size along one axis, as TensorFlow computes them for 'same'/'valid'/explicit. */
function axisPadding(inSize: number, kernel: number, stride: number, pad: Pad): { before: number; after: number } {
  if (pad === 'valid') return { before: 0, after: 0 };
  if (typeof pad === 'number') return { before: pad, after: pad };
  const outSize = Math.ceil(inSize / stride);
  const total = Math.max((outSize - 1) * stride + kernel - inSize, 0);
  return { before: Math.floor(total / 2), after: total - Math.floor(total / 2) };
}

interface FilterGradShape {
  kh: number;
  kw: number;
  cin: number;
  cout: number;
  sh: number;
  sw: number;
  n: number;
  h: number;
  w: number;
  oh: number;
  ow: number;
  padY: { before: number; after: number };
  padX: { before: number; after: number };
}

function shapeOf(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: number | [number, number],
  pad: Pad,
): FilterGradShape {
  const [kh, kw, cin, cout] = filterShape;
  const [sh, sw] = pairOf(strides);
  const [n, h, w] = x.shape;
  const [, oh, ow] = dy.shape;
  return {
    kh,
    kw,
    cin,
    cout,
    sh,
    sw,
    n,
    h,
    w,
    oh,
    ow,
    padY: axisPadding(h, kh, sh, pad),
    padX: axisPadding(w, kw, sw, pad),
  };
}

/**
 * dW as one convolution over transposed tensors: with batch and channels swapped, x^T [Cin, H, W, N]
 * convolved (stride 1, dilation = the forward stride) with dy^T [OH, OW, N, Cout] as the filter gives
 * [Cin, KH, KW, Cout]: out[ci, kh, kw, co] = sum over oh, ow, n of xpad[ci, kh + oh*s, kw + ow*s, n] *
 * dy[oh, ow, n, co], which is dW[kh, kw, ci, co]. On wasm this runs as one XNNPACK convolution (SIMD,
 * threaded) instead of many small matMuls.
 */
function filterGradAsConv(x: tf.Tensor4D, dy: tf.Tensor4D, g: FilterGradShape): tf.Tensor4D {
  // The forward conv reads padded rows 0 .. (OH-1)*s + KH - 1; rows of x past that are never read.
  const afterY = (g.oh - 1) * g.sh + g.kh - g.h - g.padY.before;
  const afterX = (g.ow - 1) * g.sw + g.kw - g.w - g.padX.before;
  const used =
    afterY < 0 || afterX < 0
      ? tf.slice(x, [0, 0, 0, 0], [g.n, g.h + Math.min(afterY, 0), g.w + Math.min(afterX, 0), g.cin])
      : x;
  const xT = tf.transpose(used, [3, 1, 2, 0]) as tf.Tensor4D;
  const dyT = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D;
  const out = tf.conv2d(
    xT,
    dyT,
    1,
    [
      [0, 0],
      [g.padY.before, Math.max(afterY, 0)],
      [g.padX.before, Math.max(afterX, 0)],
      [0, 0],
    ],
    'NHWC',
    [g.sh, g.sw],
  );
  return tf.transpose(out, [1, 2, 0, 3]);
}

/**
 * Gradient of conv2d with respect to its filter, written in tf ops:
 * dW[kh, kw, ci, co] = sum over n, oh, ow of x[n, oh*s + kh - p, ow*s + kw - p, ci] * dy[n, oh, ow, co].
 * tfjs-backend-wasm has no Conv2DBackpropFilter kernel, so this is what lets the wasm fallback train.
 * As one convolution it was faster than im2col (one matMul) or a matMul per kernel tap on wasm, 1x1 filters
 * included (conv2d-grad-matmul.ts says what was measured).
 *
 * @param x [N, H, W, Cin] NHWC input
 * @param dy [N, OH, OW, Cout] gradient of the output
 * @param filterShape [KH, KW, Cin, Cout]
 */
export function conv2dFilterGradInOps(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: number | [number, number],
  pad: Pad,
): tf.Tensor4D {
  return tf.tidy(() => filterGradAsConv(x, dy, shapeOf(x, dy, filterShape, strides, pad)));
}

/**
 * Gradient of conv2d with respect to its input, as one stride-1 convolution (XNNPACK on wasm):
 * dx[i] = sum over k of D[i + p - k] * W[k], where D is dy with s-1 zeros between its rows and columns.
 * That is D convolved with the filter flipped in space and with Cin and Cout swapped, padded by KH-1-p.
 * tfjs-backend-wasm's own Conv2DBackpropInput is a scalar loop on one thread.
 *
 * @param xShape [N, H, W, Cin] of the forward input
 * @param dy [N, OH, OW, Cout]
 * @param filter [KH, KW, Cin, Cout]
 */
export function conv2dInputGradInOps(
  xShape: [number, number, number, number],
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  strides: number | [number, number],
  pad: Pad,
): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w] = xShape;
    const [kh, kw, , cout] = filter.shape;
    const [sh, sw] = pairOf(strides);
    const [, oh, ow] = dy.shape;
    const padY = axisPadding(h, kh, sh, pad);
    const padX = axisPadding(w, kw, sw, pad);
    // D: dy with s-1 zeros after each row and column: [OH*s, OW*s]. The trailing zeros are kept (they add
    // nothing to any window) and the padding below accounts for them; for the usual shapes (3x3 pad 1 and
    // 1x1 pad 0 at stride 2 on even sizes) no crop is then needed (on wasm a Slice copy is a slow loop).
    let dilated: tf.Tensor4D = dy;
    if (sh > 1 || sw > 1) {
      const spread = tf.pad(tf.reshape(dy, [n, oh, 1, ow, 1, cout]), [
        [0, 0],
        [0, 0],
        [0, sh - 1],
        [0, 0],
        [0, sw - 1],
        [0, 0],
      ]);
      dilated = tf.reshape(spread, [n, oh * sh, ow * sw, cout]) as tf.Tensor4D;
    }
    // Padding of D so that a KH x KW window at every input row i covers D[i + p - KH + 1 .. i + p].
    const beforeY = kh - 1 - padY.before;
    const beforeX = kw - 1 - padX.before;
    const afterY = h + kh - 1 - beforeY - dilated.shape[1];
    const afterX = w + kw - 1 - beforeX - dilated.shape[2];
    // Negative padding (rows of D no window reaches) is a crop; none is needed for the usual shapes.
    const crop = beforeY < 0 || beforeX < 0 || afterY < 0 || afterX < 0;
    const cropped = crop
      ? tf.slice(
          dilated,
          [0, Math.max(-beforeY, 0), Math.max(-beforeX, 0), 0],
          [
            n,
            dilated.shape[1] - Math.max(-beforeY, 0) - Math.max(-afterY, 0),
            dilated.shape[2] - Math.max(-beforeX, 0) - Math.max(-afterX, 0),
            cout,
          ],
        )
      : dilated;
    const flipped = flippedFilter(filter);
    return tf.conv2d(cropped, flipped, 1, [
      [0, 0],
      [Math.max(beforeY, 0), Math.max(afterY, 0)],
      [Math.max(beforeX, 0), Math.max(afterX, 0)],
      [0, 0],
    ]) as tf.Tensor4D;
  });
}

/**
 * Registers the ops-based filter gradient as the wasm backend's Conv2DBackpropFilter kernel, which
 * tfjs-backend-wasm lacks. Both tfjs's Conv2D gradient and fused conv2d's gradient (the one tf.layers
 * uses) call that kernel. A kernel may return a Tensor; ops run inside it are not taped.
 */
export function registerWasmConv2dFilterGrad(): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs }) => {
      const { x, dy } = inputs as unknown as { x: tf.Tensor4D; dy: tf.Tensor4D };
      const { filterShape, strides, pad, dataFormat } = attrs as unknown as {
        filterShape: [number, number, number, number];
        strides: number | [number, number];
        pad: Pad;
        dataFormat: string;
      };
      if (dataFormat !== 'NHWC') throw new Error('conv2d filter gradient: only NHWC is supported');
      return conv2dFilterGradInOps(x, dy, filterShape, strides, pad);
    },
  });
}

const inputGradKernel: tf.KernelFunc = ({ inputs, attrs, backend }) => {
  const { dy, filter } = inputs as unknown as { dy: tf.Tensor4D; filter: tf.Tensor4D };
  const { inputShape, strides, pad, dataFormat, dimRoundingMode } = attrs as unknown as {
    inputShape: [number, number, number, number];
    strides: number | [number, number];
    pad: Pad;
    dataFormat: string;
    dimRoundingMode?: string;
  };
  if (dataFormat !== 'NHWC') throw new Error('conv2d input gradient: only NHWC is supported');
  if (dimRoundingMode !== undefined) throw new Error('conv2d input gradient: dimRoundingMode is not supported');
  const own = inputGradInWasm(backend as tf.KernelBackend, { dy, filter, inputShape, strides, pad });
  return own ?? conv2dInputGradInOps(inputShape, dy, filter, strides, pad);
};

/**
 * Our replacement for tfjs-backend-wasm's Conv2DBackpropInput (a scalar loop on one thread): our own SIMD
 * kernels where they are prepared (kernels/wasm-simd/input-grad.ts), else XNNPACK convolutions in ops. It
 * goes through the kernel registry (core/kernels), so
 * `?kernels=stock` puts the stock kernel back like every other replacement.
 */
export const WASM_INPUT_GRAD_ID = 'wasm-conv2d-input-grad';

export const wasmInputGradKernel: CustomKernel = {
  id: WASM_INPUT_GRAD_ID,
  summary: 'Conv2DBackpropInput as our own SIMD kernels or XNNPACK convolutions (stock: a scalar loop)',
  backendName: 'wasm',
  overrides: [{ kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: inputGradKernel }],
};
