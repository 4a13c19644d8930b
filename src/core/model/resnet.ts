import * as tf from '@tensorflow/tfjs';
import { type BlockPlan, type ConvPlan, type EncoderSpec, encoderPlan } from '../../protocol/architecture';
import { applyLayer, type GraphNode } from './layer-graph';

export interface ResNetSpec extends EncoderSpec {
  /** Seeds the weight initializers, so the same seed gives the same initial network. */
  seed: number;
}

export interface ResNetGraph {
  layers: tf.layers.Layer[];
  representationDim: number;
  /** x [B, s, s, 3] (normalized views) -> h [B, representationDim] after global average pooling. */
  run<T extends GraphNode>(x: T, training: boolean): T;
}

type Apply = <T extends GraphNode>(x: T, training: boolean) => T;

/**
 * Builds the ResNet encoder f from its plan (src/protocol/architecture.ts): basic blocks for ResNet-18/34
 * and the small ResNet, bottleneck blocks for ResNet-50. Strided convolutions pad explicitly then run
 * 'valid', which matches PyTorch's symmetric padding (TensorFlow's 'same' pads stride 2 asymmetrically).
 */
export function buildResNet(spec: ResNetSpec): ResNetGraph {
  const plan = encoderPlan(spec);
  const layers: tf.layers.Layer[] = [];
  const add = <L extends tf.layers.Layer>(layer: L): L => {
    layers.push(layer);
    return layer;
  };
  let initializerSeed = spec.seed * 1000;

  const conv = (c: ConvPlan): Apply => {
    const pad = Math.floor(c.kernel / 2);
    const padding = c.stride > 1 && pad > 0 ? add(tf.layers.zeroPadding2d({ padding: pad })) : null;
    const layer = add(
      tf.layers.conv2d({
        filters: c.outChannels,
        kernelSize: c.kernel,
        strides: c.stride,
        padding: c.stride > 1 ? 'valid' : 'same',
        useBias: false,
        kernelInitializer: tf.initializers.heNormal({ seed: initializerSeed++ }),
      }),
    );
    return (x, training) => applyLayer(layer, padding ? applyLayer(padding, x, training) : x, training);
  };
  // Momentum 0.9 in tfjs's convention equals PyTorch's BatchNorm momentum 0.1; epsilon as PyTorch.
  const batchNorm = (): Apply => {
    const layer = add(tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }));
    return (x, training) => applyLayer(layer, x, training);
  };
  const relu = (): Apply => {
    const layer = add(tf.layers.reLU());
    return (x, training) => applyLayer(layer, x, training);
  };
  const convBn = (c: ConvPlan): Apply => {
    const convolve = conv(c);
    const normalize = batchNorm();
    return (x, training) => normalize(convolve(x, training), training);
  };

  const block = (b: BlockPlan): Apply => {
    const branch = b.convs.map((c, i) => ({ convBn: convBn(c), relu: i + 1 < b.convs.length ? relu() : null }));
    const shortcut = b.shortcut ? convBn(b.shortcut) : null;
    const sum = add(tf.layers.add());
    const out = relu();
    return (x, training) => {
      let y = x;
      for (const step of branch) {
        y = step.convBn(y, training);
        if (step.relu) y = step.relu(y, training);
      }
      const identity = shortcut ? shortcut(x, training) : x;
      return out(applyLayer(sum, [y, identity], training), training);
    };
  };

  const stem = convBn(plan.stemConv);
  const stemRelu = relu();
  // After ReLU every value is >= 0, so zero padding before the max-pool equals PyTorch's -inf padding.
  const poolPad = plan.stem === 'imagenet' ? add(tf.layers.zeroPadding2d({ padding: 1 })) : null;
  const pool =
    plan.stem === 'imagenet' ? add(tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'valid' })) : null;
  const blocks = plan.blocks.map(block);
  const globalPool = add(tf.layers.globalAveragePooling2d({}));

  return {
    layers,
    representationDim: plan.representationDim,
    run<T extends GraphNode>(x: T, training: boolean): T {
      let y = stemRelu(stem(x, training), training);
      if (poolPad && pool) y = applyLayer(pool, applyLayer(poolPad, y, training), training);
      for (const b of blocks) y = b(y, training);
      return applyLayer(globalPool, y, training);
    },
  };
}
