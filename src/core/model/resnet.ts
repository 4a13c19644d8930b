import * as tf from '@tensorflow/tfjs';
import type { EncoderName } from '../../protocol/config';
import { applyLayer, type GraphNode } from './layer-graph';

export interface ResNetSpec {
  encoder: EncoderName;
  imageSize: number;
  widthMultiplier: number;
  /** Seeds the weight initializers, so the same seed gives the same initial network. */
  seed: number;
}

/** Basic blocks per stage: ResNet-18 (He et al. 2016) and a one-block-per-stage ResNet for weak machines. */
const BLOCKS_PER_STAGE: Record<EncoderName, readonly number[]> = {
  resnet18: [2, 2, 2, 2],
  'resnet-small': [1, 1, 1, 1],
};

/** Stage widths at width multiplier 1, as torchvision's ResNet-18. */
const BASE_WIDTHS = [64, 128, 256, 512] as const;

/** Inputs up to this size use the CIFAR stem (3x3 stride 1, no max-pool), as SimCLR's CIFAR-10 recipe does. */
export const CIFAR_STEM_MAX_SIZE = 64;

export function stageWidths(widthMultiplier: number): number[] {
  return BASE_WIDTHS.map((w) => Math.max(1, Math.round(w * widthMultiplier)));
}

export interface ResNetGraph {
  layers: tf.layers.Layer[];
  representationDim: number;
  /** x [B, s, s, 3] (normalized views) -> h [B, representationDim] after global average pooling. */
  run<T extends GraphNode>(x: T, training: boolean): T;
}

/**
 * Builds the ResNet encoder f. Strided convolutions pad explicitly then run 'valid', which matches
 * PyTorch's symmetric padding (TensorFlow's 'same' pads stride-2 convolutions asymmetrically).
 */
export function buildResNet(spec: ResNetSpec): ResNetGraph {
  const layers: tf.layers.Layer[] = [];
  const add = <L extends tf.layers.Layer>(layer: L): L => {
    layers.push(layer);
    return layer;
  };
  let initializerSeed = spec.seed * 1000;
  const widths = stageWidths(spec.widthMultiplier);
  const blocks = BLOCKS_PER_STAGE[spec.encoder];

  const conv = (filters: number, kernelSize: number, strides: number) => {
    const pad = Math.floor(kernelSize / 2);
    const padding = strides > 1 && pad > 0 ? add(tf.layers.zeroPadding2d({ padding: pad })) : null;
    const layer = add(
      tf.layers.conv2d({
        filters,
        kernelSize,
        strides,
        padding: strides > 1 ? 'valid' : 'same',
        useBias: false,
        kernelInitializer: tf.initializers.heNormal({ seed: initializerSeed++ }),
      }),
    );
    return <T extends GraphNode>(x: T, training: boolean): T =>
      applyLayer(layer, padding ? applyLayer(padding, x, training) : x, training);
  };
  // Momentum 0.9 in tfjs's convention equals PyTorch's BatchNorm momentum 0.1; epsilon as PyTorch.
  const batchNorm = () => {
    const layer = add(tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }));
    return <T extends GraphNode>(x: T, training: boolean): T => applyLayer(layer, x, training);
  };
  const relu = () => {
    const layer = add(tf.layers.reLU());
    return <T extends GraphNode>(x: T, training: boolean): T => applyLayer(layer, x, training);
  };

  const basicBlock = (inChannels: number, outChannels: number, strides: number) => {
    const conv1 = conv(outChannels, 3, strides);
    const bn1 = batchNorm();
    const relu1 = relu();
    const conv2 = conv(outChannels, 3, 1);
    const bn2 = batchNorm();
    const needsProjection = strides !== 1 || inChannels !== outChannels;
    const shortcutConv = needsProjection ? conv(outChannels, 1, strides) : null;
    const shortcutBn = needsProjection ? batchNorm() : null;
    const sum = add(tf.layers.add());
    const relu2 = relu();
    return <T extends GraphNode>(x: T, training: boolean): T => {
      const y = bn2(conv2(relu1(bn1(conv1(x, training), training), training), training), training);
      const shortcut = shortcutConv && shortcutBn ? shortcutBn(shortcutConv(x, training), training) : x;
      return relu2(applyLayer(sum, [y, shortcut], training), training);
    };
  };

  const cifarStem = spec.imageSize <= CIFAR_STEM_MAX_SIZE;
  const stemConv = conv(widths[0]!, cifarStem ? 3 : 7, cifarStem ? 1 : 2);
  const stemBn = batchNorm();
  const stemRelu = relu();
  // After ReLU every value is >= 0, so zero padding before the max-pool equals PyTorch's -inf padding.
  const stemPoolPad = cifarStem ? null : add(tf.layers.zeroPadding2d({ padding: 1 }));
  const stemPool = cifarStem ? null : add(tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'valid' }));

  const stageBlocks: ReturnType<typeof basicBlock>[] = [];
  let channels = widths[0]!;
  blocks.forEach((count, stage) => {
    for (let b = 0; b < count; b++) {
      const out = widths[stage]!;
      stageBlocks.push(basicBlock(channels, out, stage > 0 && b === 0 ? 2 : 1));
      channels = out;
    }
  });
  const pool = add(tf.layers.globalAveragePooling2d({}));

  return {
    layers,
    representationDim: channels,
    run<T extends GraphNode>(x: T, training: boolean): T {
      let y = stemRelu(stemBn(stemConv(x, training), training), training);
      if (stemPoolPad && stemPool) y = applyLayer(stemPool, applyLayer(stemPoolPad, y, training), training);
      for (const block of stageBlocks) y = block(y, training);
      return applyLayer(pool, y, training);
    },
  };
}
