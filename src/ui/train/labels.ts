import type { EncoderName } from '../../protocol/config';

/** Encoder names as a person reads them. */
export const ENCODERS = [
  { value: 'resnet18', label: 'ResNet-18' },
  { value: 'resnet-small', label: 'Small ResNet (weak machines)' },
] as const satisfies readonly { value: EncoderName; label: string }[];
