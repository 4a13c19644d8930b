import type {
  EncoderName,
  LearningRateScaling,
  OptimizerName,
  ProjectionHeadName,
  StemChoice,
} from '../../protocol/config';

/** Encoder names as a person reads them. */
export const ENCODERS = [
  { value: 'resnet18', label: 'ResNet-18' },
  { value: 'resnet34', label: 'ResNet-34' },
  { value: 'resnet50', label: 'ResNet-50 (bottleneck)' },
  { value: 'resnet-small', label: 'Small ResNet (weak machines)' },
] as const satisfies readonly { value: EncoderName; label: string }[];

export const STEMS = [
  { value: 'auto', label: 'Auto (CIFAR up to 64 px)' },
  { value: 'cifar', label: 'CIFAR: 3x3, no max-pool' },
  { value: 'imagenet', label: 'ImageNet: 7x7 + max-pool' },
] as const satisfies readonly { value: StemChoice; label: string }[];

export const HEADS = [
  { value: 'v1', label: 'SimCLR v1 (2 layers)' },
  { value: 'v2', label: 'SimCLR v2 (3 layers + BN)' },
] as const satisfies readonly { value: ProjectionHeadName; label: string }[];

export const OPTIMIZERS = [
  { value: 'adam', label: 'AdamW' },
  { value: 'lars', label: 'LARS (SimCLR paper)' },
  { value: 'sgd', label: 'SGD (momentum 0.9)' },
] as const satisfies readonly { value: OptimizerName; label: string }[];

export const LR_SCALINGS = [
  { value: 'none', label: 'None (as entered)' },
  { value: 'linear', label: 'Linear: x batch/256' },
  { value: 'sqrt', label: 'Square root: x sqrt(batch)' },
] as const satisfies readonly { value: LearningRateScaling; label: string }[];
