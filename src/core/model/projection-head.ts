import * as tf from '@tensorflow/tfjs';
import { type HeadSpec, headLayerSizes } from '../../protocol/architecture';
import { applyBatchNormRelu } from './batchnorm-relu-layers';
import { applyLayer, type GraphNode } from './layer-graph';

export interface ProjectionHeadGraph {
  layers: tf.layers.Layer[];
  /** h [B, d] -> z [B, projectionDim]. */
  run<T extends GraphNode>(h: T, training: boolean): T;
}

/**
 * Projection head g, discarded after training.
 * v1 (SimCLR): Linear(d, hidden) - ReLU - Linear(hidden, out).
 * v2 (SimCLR v2): Linear - BN - ReLU - Linear - BN - ReLU - Linear, no bias where BatchNorm follows.
 */
export function buildProjectionHead(spec: HeadSpec, inputDim: number, seed: number): ProjectionHeadGraph {
  const sizes = headLayerSizes(spec, inputDim);
  const layers: tf.layers.Layer[] = [];
  const stages: Array<{ dense: tf.layers.Layer; bn: tf.layers.Layer | null; relu: tf.layers.Layer | null }> = [];
  for (let i = 1; i < sizes.length; i++) {
    const last = i + 1 === sizes.length;
    const withBn = spec.projectionHead === 'v2' && !last;
    const dense = tf.layers.dense({
      units: sizes[i]!,
      useBias: !withBn,
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 1000 + 900 + i }),
    });
    const bn: tf.layers.Layer | null = withBn ? tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }) : null;
    const relu: tf.layers.Layer | null = last ? null : tf.layers.reLU();
    for (const layer of [dense, bn, relu]) if (layer) layers.push(layer);
    stages.push({ dense, bn, relu });
  }
  return {
    layers,
    run<T extends GraphNode>(h: T, training: boolean): T {
      let y = h;
      for (const stage of stages) {
        y = applyLayer(stage.dense, y, training);
        if (stage.bn) y = applyBatchNormRelu(stage.bn, stage.relu, y, training);
        else if (stage.relu) y = applyLayer(stage.relu, y, training);
      }
      return y;
    },
  };
}
