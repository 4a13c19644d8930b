import * as tf from '@tensorflow/tfjs';

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

/**
 * Gradient of conv2d with respect to its filter, written in tf ops (one strided slice and one matMul per
 * kernel tap): dW[kh, kw, ci, co] = sum over n, oh, ow of x[n, oh*s + kh - p, ow*s + kw - p, ci] * dy[n, oh, ow, co].
 * tfjs-backend-wasm has no Conv2DBackpropFilter kernel, so this is what lets the wasm fallback train.
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
  return tf.tidy(() => {
    const [kh, kw, cin, cout] = filterShape;
    const [sh, sw] = pairOf(strides);
    const [n, h, w] = x.shape;
    const [, oh, ow] = dy.shape;
    const padY = axisPadding(h, kh, sh, pad);
    const padX = axisPadding(w, kw, sw, pad);
    const padded = tf.pad(x, [
      [0, 0],
      [padY.before, padY.after],
      [padX.before, padX.after],
      [0, 0],
    ]);
    const rows = n * oh * ow;
    const dyMatrix = tf.reshape(dy, [rows, cout]);
    const taps: tf.Tensor2D[] = [];
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const patch = tf.stridedSlice(
          padded,
          [0, i, j, 0],
          [n, i + (oh - 1) * sh + 1, j + (ow - 1) * sw + 1, cin],
          [1, sh, sw, 1],
        );
        taps.push(tf.matMul(tf.reshape(patch, [rows, cin]), dyMatrix, true, false));
      }
    }
    return tf.reshape(tf.stack(taps), filterShape);
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
