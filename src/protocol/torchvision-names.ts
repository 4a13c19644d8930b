/**
 * torchvision's parameter names and PyTorch layouts for our encoder and head plans (architecture.ts):
 * the contract between the exported .safetensors files, "Start from weights" and the PyTorch scripts.
 * Conv weights are OIHW, Linear weights [out, in]; every BatchNorm has weight, bias, running_mean,
 * running_var and an int64 scalar num_batches_tracked.
 */
import { ENCODER_FAMILIES, type EncoderSpec, encoderPlan, type HeadSpec, headLayerSizes } from './architecture';

export type ParamRole = 'conv' | 'linear' | 'bias' | 'bn-weight' | 'bn-bias' | 'bn-mean' | 'bn-var' | 'bn-count';

export interface ParamSpec {
  name: string;
  shape: number[];
  role: ParamRole;
}

export const BN_SUFFIXES: ReadonlyArray<readonly [string, ParamRole]> = [
  ['weight', 'bn-weight'],
  ['bias', 'bn-bias'],
  ['running_mean', 'bn-mean'],
  ['running_var', 'bn-var'],
  ['num_batches_tracked', 'bn-count'],
];

function batchNorm(prefix: string, channels: number): ParamSpec[] {
  return BN_SUFFIXES.map(([suffix, role]) => ({
    name: `${prefix}.${suffix}`,
    shape: role === 'bn-count' ? [] : [channels],
    role,
  }));
}

/** A convolution or linear layer and the BatchNorm after it (null for none), by torchvision name. */
export interface NamedLayer {
  weight: ParamSpec;
  bias: ParamSpec | null;
  batchNorm: string | null;
}

/**
 * The encoder's convolutions in the order the tfjs builder creates them (stem, then per block: its
 * branch convolutions, then the shortcut), with torchvision's names: conv1/bn1, layerS.B.convK/bnK,
 * layerS.B.downsample.0/1.
 */
export function encoderLayerNames(spec: EncoderSpec): Array<NamedLayer & { channels: number }> {
  const plan = encoderPlan(spec);
  const conv = (name: string, c: { inChannels: number; outChannels: number; kernel: number }) => ({
    weight: { name: `${name}.weight`, shape: [c.outChannels, c.inChannels, c.kernel, c.kernel], role: 'conv' as const },
    bias: null,
    channels: c.outChannels,
  });
  const layers = [{ ...conv('conv1', plan.stemConv), batchNorm: 'bn1' }];
  let index = 0;
  ENCODER_FAMILIES[spec.encoder].blocksPerStage.forEach((count, stage) => {
    for (let b = 0; b < count; b++) {
      const block = plan.blocks[index++]!;
      const prefix = `layer${stage + 1}.${b}`;
      block.convs.forEach((c, k) => {
        layers.push({ ...conv(`${prefix}.conv${k + 1}`, c), batchNorm: `${prefix}.bn${k + 1}` });
      });
      if (block.shortcut)
        layers.push({ ...conv(`${prefix}.downsample.0`, block.shortcut), batchNorm: `${prefix}.downsample.1` });
    }
  });
  return layers;
}

/** The projection head as a torch nn.Sequential: Linear, [BatchNorm1d,] ReLU, ... (indices as names). */
export function headLayerNames(spec: HeadSpec, inputDim: number): Array<NamedLayer & { channels: number }> {
  const sizes = headLayerSizes(spec, inputDim);
  const layers: Array<NamedLayer & { channels: number }> = [];
  let index = 0;
  for (let i = 1; i < sizes.length; i++) {
    const last = i + 1 === sizes.length;
    const withBn = spec.projectionHead === 'v2' && !last;
    const at = index;
    layers.push({
      weight: { name: `${at}.weight`, shape: [sizes[i]!, sizes[i - 1]!], role: 'linear' },
      bias: withBn ? null : { name: `${at}.bias`, shape: [sizes[i]!], role: 'bias' },
      batchNorm: withBn ? `${at + 1}` : null,
      channels: sizes[i]!,
    });
    index += 1 + (withBn ? 1 : 0) + (last ? 0 : 1);
  }
  return layers;
}

/** Every parameter and buffer of a list of named layers, in file order. */
export function paramSpecs(layers: ReadonlyArray<NamedLayer & { channels: number }>): ParamSpec[] {
  return layers.flatMap((l) => [
    l.weight,
    ...(l.bias ? [l.bias] : []),
    ...(l.batchNorm ? batchNorm(l.batchNorm, l.channels) : []),
  ]);
}

/** The same layers with every name under `prefix` (`fc` + `0.weight` -> `fc.0.weight`). */
function prefixed(prefix: string, layers: ReadonlyArray<NamedLayer & { channels: number }>) {
  const under = (spec: ParamSpec): ParamSpec => ({ ...spec, name: `${prefix}.${spec.name}` });
  return layers.map((l) => ({
    ...l,
    weight: under(l.weight),
    bias: l.bias ? under(l.bias) : null,
    batchNorm: l.batchNorm ? `${prefix}.${l.batchNorm}` : null,
  }));
}

/**
 * The fine-tuned classifier as torchvision's ResNet with `num_classes`: the encoder's names, then `fc`.
 * Without the head's first layer, `fc` is torchvision's nn.Linear (`fc.weight` [classes, d], `fc.bias`).
 * With it, `fc` is nn.Sequential(head's first Linear, [BatchNorm1d,] ReLU, Linear(hidden, classes)), numbered
 * as the projection head's nn.Sequential is: v1 `fc.0` (Linear), `fc.2` (classifier); v2 `fc.0` (Linear, no
 * bias), `fc.1` (BatchNorm1d), `fc.3` (classifier).
 */
export function classifierLayerNames(
  spec: EncoderSpec & HeadSpec,
  representationDim: number,
  classes: number,
  fromHeadLayer: boolean,
): Array<NamedLayer & { channels: number }> {
  const linear = (name: string, inputDim: number) => ({
    weight: { name: `${name}.weight`, shape: [classes, inputDim], role: 'linear' as const },
    bias: { name: `${name}.bias`, shape: [classes], role: 'bias' as const },
    batchNorm: null,
    channels: classes,
  });
  if (!fromHeadLayer) return [...encoderLayerNames(spec), linear('fc', representationDim)];
  const first = headLayerNames(spec, representationDim)[0]!;
  const index = spec.projectionHead === 'v2' ? 3 : 2;
  return [...encoderLayerNames(spec), ...prefixed('fc', [first, linear(`${index}`, first.channels)])];
}
