import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random/rng';

/**
 * Sets every BatchNormalization layer's gamma, beta and moving statistics away from their initial 1/0/0/1, so
 * inference-mode BatchNorm is really tested; gamma below 1 keeps a deep residual stream of order 1 (parity
 * tolerances are absolute).
 */
export function randomizeBatchNorm(layers: readonly tf.layers.Layer[], seed: number): void {
  const rng = new Rng(seed);
  for (const layer of layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const c = layer.getWeights()[0]!.shape[0]!;
    const values = (f: () => number) => tf.tensor1d(Float32Array.from({ length: c }, f));
    const weights = [
      values(() => 0.1 + 0.3 * rng.next()),
      values(() => 0.2 * rng.next() - 0.1),
      values(() => 0.2 * rng.next() - 0.1),
      values(() => 0.5 + rng.next()),
    ];
    layer.setWeights(weights);
    tf.dispose(weights);
  }
}
