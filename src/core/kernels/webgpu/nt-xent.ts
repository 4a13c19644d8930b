import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { CustomKernel } from '../registry';
import {
  NtXentCoefficientProgram,
  NtXentGradInputProgram,
  NtXentGradNormalizedProgram,
  NtXentMeanProgram,
  NtXentRowsProgram,
  RowNormProgram,
} from './nt-xent-programs';

/** Id in the kernel registry; the training step calls fusedNtXentLoss only while it is enabled on webgpu. */
export const NT_XENT_ID = 'nt-xent';

const FORWARD = 'SimclrNtXentForward';
const BACKWARD = 'SimclrNtXentBackward';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

function uniformsFor(z: tf.TensorInfo, temperature: number) {
  const [rows, dim] = [z.shape[0]!, z.shape[1]!];
  return {
    rows,
    dim,
    uniforms: [
      { type: 'int32', data: [rows] },
      { type: 'int32', data: [dim] },
      { type: 'int32', data: [rows / 2] },
      { type: 'float32', data: [1 / temperature] },
    ],
  };
}

/** Outputs: loss [1], row norms [M], per-row (lse, loss) [M, 2]. 3 dispatches. */
function forwardKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const webgpu = backend as WebGPUBackend;
  const { z } = inputs as { z: tf.TensorInfo };
  const { temperature } = attrs as { temperature: number };
  const { rows, uniforms } = uniformsFor(z, temperature);
  const norms = webgpu.runWebGPUProgram(new RowNormProgram(rows), [z], 'float32', uniforms);
  const rowStats = webgpu.runWebGPUProgram(new NtXentRowsProgram(rows), [z, norms], 'float32', uniforms);
  const loss = webgpu.runWebGPUProgram(new NtXentMeanProgram(), [rowStats], 'float32', uniforms);
  return [loss, norms, rowStats];
}

/** dz [M, d] from z, norms, row stats and the upstream gradient dy [1]. 3 dispatches. */
function backwardKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const webgpu = backend as WebGPUBackend;
  const { z, norms, rowStats, dy } = inputs as Record<string, tf.TensorInfo>;
  const { temperature } = attrs as { temperature: number };
  const { rows, dim, uniforms } = uniformsFor(z!, temperature);
  const coefficients = webgpu.runWebGPUProgram(
    new NtXentCoefficientProgram(rows),
    [z!, norms!, rowStats!, dy!],
    'float32',
    uniforms,
  );
  const gradNormalized = webgpu.runWebGPUProgram(
    new NtXentGradNormalizedProgram(rows, dim),
    [coefficients, z!, norms!],
    'float32',
    uniforms,
  );
  webgpu.disposeData(coefficients.dataId);
  const dz = webgpu.runWebGPUProgram(
    new NtXentGradInputProgram(rows, dim),
    [gradNormalized, z!, norms!],
    'float32',
    uniforms,
  );
  webgpu.disposeData(gradNormalized.dataId);
  return dz;
}

/** In the registry (kernels/index.ts): its two tfjs kernels exist only while it is switched on. */
export const ntXentKernel: CustomKernel = {
  id: NT_XENT_ID,
  summary: 'NT-Xent loss and its gradient wrt z, fused',
  backendName: 'webgpu',
  overrides: [],
  ops: [
    { kernelName: FORWARD, backendName: 'webgpu', kernelFunc: forwardKernel as tf.KernelFunc },
    { kernelName: BACKWARD, backendName: 'webgpu', kernelFunc: backwardKernel as tf.KernelFunc },
  ],
};

/**
 * NT-Xent on webgpu in 3 dispatches forward and 3 backward; the same loss as ntXentLoss (loss/nt-xent.ts):
 * rows l2-normalized (eps 1e-12), cosine similarities / temperature, self-similarity left out of the
 * log-sum-exp, mean over the 2N anchors.
 *
 * @param z [2N, d]: rows 0..N-1 are the first views, N..2N-1 the second (row i pairs with row i + N)
 * @returns scalar loss; its gradient wrt z comes from the fused backward kernels
 * Runs only while ntXentKernel is switched on (selectKernels): its kernels are not registered otherwise.
 */
export function fusedNtXentLoss(z: tf.Tensor2D, temperature: number): tf.Scalar {
  if (z.shape[0] % 2 !== 0) throw new Error(`NT-Xent needs an even number of rows (two views each), got ${z.shape[0]}`);
  const attrs = { temperature } as unknown as tf.NamedAttrMap;
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const input = args[0] as tf.Tensor2D;
    const save = args[1] as tf.GradSaveFunc;
    const [loss, norms, rowStats] = tf.engine().runKernel(FORWARD, { z: input }, attrs) as tf.Tensor[];
    save([input, norms!, rowStats!]);
    return {
      value: tf.reshape(loss!, []) as tf.Scalar,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [zs, ns, rs] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        const upstream = tf.reshape(dy, [1]);
        return tf.engine().runKernel(BACKWARD, { z: zs, norms: ns, rowStats: rs, dy: upstream }, attrs) as tf.Tensor;
      },
    };
  });
  return op(z) as tf.Scalar;
}
