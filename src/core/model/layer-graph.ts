import type * as tf from '@tensorflow/tfjs';
import type { TrainableParam } from '../optim/optimizers';

/**
 * The networks are written once as functions over either concrete tensors (training, with
 * BatchNorm in training mode) or symbolic tensors (to build the exportable tf.LayersModel that
 * shares the very same layer objects and weights). tf.LayersModel.apply() would drop the
 * `training` flag for nested layers, hence this.
 */
export type GraphNode = tf.Tensor | tf.SymbolicTensor;

export function applyLayer<T extends GraphNode>(layer: tf.layers.Layer, input: T | T[], training: boolean): T {
  return layer.apply(input as tf.Tensor | tf.Tensor[], { training }) as unknown as T;
}

/** Trainable variables of the given layers; weight decay applies to kernels only (not BatchNorm or biases). */
export function trainableParams(layers: readonly tf.layers.Layer[]): TrainableParam[] {
  return layers.flatMap((layer) =>
    layer.trainableWeights.map((weight) => ({
      // LayerVariable.read() returns the backing tf.Variable (tfjs-layers' own fit() uses it the same way).
      variable: weight.read() as tf.Variable,
      decay: weight.originalName.endsWith('kernel'),
    })),
  );
}

export function countParams(params: readonly TrainableParam[]): number {
  return params.reduce((sum, p) => sum + p.variable.size, 0);
}
