import * as tf from '@tensorflow/tfjs';
import { type BlockPlan, type ConvPlan, type EncoderSpec, encoderPlan } from '../../protocol/architecture';
import { applyBatchNormRelu, type ResidualInput } from './batchnorm-relu-layers';
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

/** The end of a residual block after its last BatchNorm: + identity (the `add` layer), then ReLU. */
interface BlockTail<T extends GraphNode> extends ResidualInput<T> {
  relu: tf.layers.Layer;
}

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
  const batchNorm = (): tf.layers.Layer => add(tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }));
  const relu = (): tf.layers.Layer => add(tf.layers.reLU());
  /** conv -> BN [-> + residual] [-> ReLU]; BN with what follows it may run fused (batchnorm-relu-layers.ts). */
  type ConvBn = <T extends GraphNode>(x: T, training: boolean, tail?: BlockTail<T>) => T;
  const convBn = (c: ConvPlan, withRelu: boolean): ConvBn => {
    const convolve = conv(c);
    const normalize = batchNorm();
    const activation = withRelu ? relu() : null;
    return (x, training, tail) =>
      tail
        ? applyBatchNormRelu(normalize, tail.relu, convolve(x, training), training, tail)
        : applyBatchNormRelu(normalize, activation, convolve(x, training), training);
  };

  const block = (b: BlockPlan): Apply => {
    const last = b.convs.length - 1;
    const branch = b.convs.map((c, i) => convBn(c, i < last));
    const shortcut = b.shortcut ? convBn(b.shortcut, false) : null;
    const sum = add(tf.layers.add());
    const out = relu();
    return (x, training) => {
      // Layers are created in the same order as before (conv, BN, ReLU per step; shortcut; add; ReLU), so
      // weight names and seeded initial values are unchanged. The last branch BN adds the identity and
      // applies the block's ReLU.
      let y = x;
      for (let i = 0; i < last; i++) y = branch[i]!(y, training);
      const identity = shortcut ? shortcut(x, training) : x;
      return branch[last]!(y, training, { add: sum, other: identity, relu: out });
    };
  };

  const stem = convBn(plan.stemConv, true);
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
      let y = stem(x, training);
      if (poolPad && pool) y = applyLayer(pool, applyLayer(poolPad, y, training), training);
      for (const b of blocks) y = b(y, training);
      return applyLayer(globalPool, y, training);
    },
  };
}
