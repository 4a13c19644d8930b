import * as tf from '@tensorflow/tfjs';
import { applyLayer, type GraphNode } from './layer-graph';

export interface ProjectionHeadGraph {
  layers: tf.layers.Layer[];
  /** h [B, d] -> z [B, outputDim]. */
  run<T extends GraphNode>(h: T, training: boolean): T;
}

/** SimCLR v1 projection head g: Linear(d, hidden) - ReLU - Linear(hidden, outputDim). Discarded after training. */
export function buildProjectionHead(hiddenDim: number, outputDim: number, seed: number): ProjectionHeadGraph {
  const hidden = tf.layers.dense({
    units: hiddenDim,
    activation: 'relu',
    kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 1000 + 900 }),
  });
  const output = tf.layers.dense({
    units: outputDim,
    kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 1000 + 901 }),
  });
  return {
    layers: [hidden, output],
    run<T extends GraphNode>(h: T, training: boolean): T {
      return applyLayer(output, applyLayer(hidden, h, training), training);
    },
  };
}
