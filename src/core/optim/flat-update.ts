import * as tf from '@tensorflow/tfjs';
import type { TrainableParam } from './optimizers';

/**
 * An element-wise optimizer update over every parameter at once: the parameters, gradients and slots are
 * concatenated into flat [P] vectors, updated with one op per formula term, and split back into the
 * variables. A per-variable update runs ~13 ops per parameter tensor (588 kernels for the small ResNet);
 * flat, it is ~25 kernels plus free reshapes, so on wasm and WebGL, where each op pays its own dispatch and
 * allocation, the cost per op is paid once. The arithmetic per element is the same, in the same order.
 */
export class FlatParams {
  private readonly sizes: number[];
  /** weightDecay where the parameter decays, 0 where it does not ([P]); null when no parameter decays. */
  private decayTensor: tf.Tensor1D | null = null;

  constructor(private readonly params: readonly TrainableParam[]) {
    this.sizes = params.map((p) => p.variable.size);
  }

  /** [P]: the tensors (one per parameter, in order, each of its parameter's shape) end to end. */
  flatten(tensors: readonly tf.Tensor[]): tf.Tensor1D {
    return tf.concat(tensors.map((t) => tf.reshape(t, [-1])));
  }

  /** Assigns the pieces of flat [P] to `variables` (one per parameter, in order). */
  assign(flat: tf.Tensor, variables: readonly tf.Variable[]): void {
    tf.tidy(() => {
      const pieces = tf.split(flat, this.sizes);
      variables.forEach((v, i) => {
        v.assign(tf.reshape(pieces[i]!, v.shape));
      });
    });
  }

  /**
   * Per element: weightDecay for decayed parameters, 0 for the others ([P], built once and kept), or null
   * when no parameter decays. w * this is w * weightDecay exactly where it applies; elsewhere 0 is added.
   */
  decayVector(weightDecay: number): tf.Tensor1D | null {
    if (weightDecay <= 0 || !this.params.some((p) => p.decay)) return null;
    if (!this.decayTensor) {
      const values = new Float32Array(this.sizes.reduce((a, b) => a + b, 0));
      let offset = 0;
      this.params.forEach((p, i) => {
        if (p.decay) values.fill(weightDecay, offset, offset + this.sizes[i]!);
        offset += this.sizes[i]!;
      });
      this.decayTensor = tf.keep(tf.tensor1d(values));
    }
    return this.decayTensor;
  }

  dispose(): void {
    this.decayTensor?.dispose();
    this.decayTensor = null;
  }
}
