/**
 * The encoder and head architectures as plain data: the engine builds its layers from this plan, and
 * the UI shows parameter counts and FLOPs from it before a run starts. One source of truth.
 */
import type { EncoderName, ProjectionHeadName, StemChoice } from './config';

export interface EncoderFamily {
  block: 'basic' | 'bottleneck';
  blocksPerStage: readonly number[];
}

/** He et al. 2016, table 1. The small ResNet has one basic block per stage, for machines without a fast GPU. */
export const ENCODER_FAMILIES: Record<EncoderName, EncoderFamily> = {
  'resnet-small': { block: 'basic', blocksPerStage: [1, 1, 1, 1] },
  resnet18: { block: 'basic', blocksPerStage: [2, 2, 2, 2] },
  resnet34: { block: 'basic', blocksPerStage: [3, 4, 6, 3] },
  resnet50: { block: 'bottleneck', blocksPerStage: [3, 4, 6, 3] },
};

/** Stage widths at width multiplier 1 (torchvision); bottleneck blocks output 4x this. */
const BASE_WIDTHS = [64, 128, 256, 512] as const;
export const BOTTLENECK_EXPANSION = 4;

/** Inputs up to this size use the CIFAR stem (3x3 stride 1, no max-pool), as every CIFAR SimCLR recipe does. */
export const CIFAR_STEM_MAX_SIZE = 64;

export function stageWidths(widthMultiplier: number): number[] {
  return BASE_WIDTHS.map((w) => Math.max(1, Math.round(w * widthMultiplier)));
}

export function resolveStem(stem: StemChoice, imageSize: number): 'cifar' | 'imagenet' {
  if (stem !== 'auto') return stem;
  return imageSize <= CIFAR_STEM_MAX_SIZE ? 'cifar' : 'imagenet';
}

export interface ConvPlan {
  inChannels: number;
  outChannels: number;
  kernel: number;
  stride: number;
  /** Spatial side of the output. */
  outputSize: number;
}

export interface BlockPlan {
  /** Convolutions of the residual branch in order, each followed by BatchNorm (ReLU between them). */
  convs: ConvPlan[];
  /** 1x1 projection on the shortcut when the shape changes, followed by BatchNorm. */
  shortcut: ConvPlan | null;
}

export interface EncoderPlan {
  stem: 'cifar' | 'imagenet';
  stemConv: ConvPlan;
  /** Side after the stem (after the max-pool for the ImageNet stem). */
  stemOutputSize: number;
  blocks: BlockPlan[];
  representationDim: number;
}

export interface EncoderSpec {
  encoder: EncoderName;
  imageSize: number;
  widthMultiplier: number;
  stem: StemChoice;
}

/** Output side of a convolution or pool with symmetric padding floor(k/2), as PyTorch's ResNet pads. */
function outputSide(input: number, kernel: number, stride: number): number {
  const pad = Math.floor(kernel / 2);
  return Math.floor((input + 2 * pad - kernel) / stride) + 1;
}

function conv(inChannels: number, outChannels: number, kernel: number, stride: number, inputSize: number): ConvPlan {
  return { inChannels, outChannels, kernel, stride, outputSize: outputSide(inputSize, kernel, stride) };
}

export function encoderPlan(spec: EncoderSpec): EncoderPlan {
  const family = ENCODER_FAMILIES[spec.encoder];
  const widths = stageWidths(spec.widthMultiplier);
  const stem = resolveStem(spec.stem, spec.imageSize);
  const stemConv = conv(3, widths[0]!, stem === 'cifar' ? 3 : 7, stem === 'cifar' ? 1 : 2, spec.imageSize);
  let size = stem === 'cifar' ? stemConv.outputSize : outputSide(stemConv.outputSize, 3, 2);
  const stemOutputSize = size;
  let channels = widths[0]!;
  const blocks: BlockPlan[] = [];
  family.blocksPerStage.forEach((count, stage) => {
    const width = widths[stage]!;
    for (let b = 0; b < count; b++) {
      const stride = stage > 0 && b === 0 ? 2 : 1;
      const convs: ConvPlan[] = [];
      let out: number;
      if (family.block === 'basic') {
        out = width;
        convs.push(conv(channels, width, 3, stride, size));
        convs.push(conv(width, width, 3, 1, convs[0]!.outputSize));
      } else {
        // torchvision's ResNet v1.5: the stride sits on the 3x3 convolution.
        out = width * BOTTLENECK_EXPANSION;
        convs.push(conv(channels, width, 1, 1, size));
        convs.push(conv(width, width, 3, stride, size));
        convs.push(conv(width, out, 1, 1, convs[1]!.outputSize));
      }
      const shortcut = stride !== 1 || channels !== out ? conv(channels, out, 1, stride, size) : null;
      blocks.push({ convs, shortcut });
      size = convs[convs.length - 1]!.outputSize;
      channels = out;
    }
  });
  return { stem, stemConv, stemOutputSize, blocks, representationDim: channels };
}

function convParams(c: ConvPlan): number {
  return c.kernel * c.kernel * c.inChannels * c.outChannels;
}

/** Multiply-accumulates of one convolution for one image. */
function convMacs(c: ConvPlan): number {
  return convParams(c) * c.outputSize * c.outputSize;
}

/** BatchNorm after a convolution: gamma and beta are trained (moving statistics are not parameters). */
const bnParams = (c: ConvPlan) => 2 * c.outChannels;

export interface HeadSpec {
  projectionHead: ProjectionHeadName;
  projectionHidden: number;
  projectionDim: number;
}

export interface ArchitectureSummary {
  stem: 'cifar' | 'imagenet';
  representationDim: number;
  /** Trainable parameters (BatchNorm gamma/beta included, moving statistics excluded). */
  encoderParams: number;
  headParams: number;
  /** Forward-pass floating point operations per image (2 x multiply-accumulates of convolutions and dense layers). */
  encoderFlops: number;
}

export function headLayerSizes(spec: HeadSpec, inputDim: number): number[] {
  return spec.projectionHead === 'v1'
    ? [inputDim, spec.projectionHidden, spec.projectionDim]
    : [inputDim, spec.projectionHidden, spec.projectionHidden, spec.projectionDim];
}

/**
 * Head parameters. v1: Linear-ReLU-Linear with biases (SimCLR v1). v2: three Linear layers, each hidden one
 * followed by BatchNorm and ReLU, biases dropped where BatchNorm follows (SimCLR v2, solo-learn).
 */
export function headParamCount(spec: HeadSpec, inputDim: number): number {
  const sizes = headLayerSizes(spec, inputDim);
  let total = 0;
  for (let i = 0; i + 1 < sizes.length; i++) {
    const isLast = i + 2 === sizes.length;
    const fanIn = sizes[i]!;
    const fanOut = sizes[i + 1]!;
    total += fanIn * fanOut;
    if (spec.projectionHead === 'v1' || isLast) total += fanOut;
    else total += 2 * fanOut;
  }
  return total;
}

export function summarizeArchitecture(spec: EncoderSpec & HeadSpec): ArchitectureSummary {
  const plan = encoderPlan(spec);
  const convs = [plan.stemConv, ...plan.blocks.flatMap((b) => (b.shortcut ? [...b.convs, b.shortcut] : b.convs))];
  const encoderParams = convs.reduce((sum, c) => sum + convParams(c) + bnParams(c), 0);
  const encoderFlops = 2 * convs.reduce((sum, c) => sum + convMacs(c), 0);
  return {
    stem: plan.stem,
    representationDim: plan.representationDim,
    encoderParams,
    headParams: headParamCount(spec, plan.representationDim),
    encoderFlops,
  };
}
