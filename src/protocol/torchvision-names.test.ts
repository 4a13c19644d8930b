import { describe, expect, it } from 'vitest';
import { classifierLayerNames, encoderLayerNames, paramSpecs } from './torchvision-names';

const spec = {
  encoder: 'resnet-small',
  imageSize: 16,
  widthMultiplier: 0.25,
  stem: 'auto',
  projectionHead: 'v2',
  projectionHidden: 16,
  projectionDim: 8,
} as const;
const dim = 128;

/** The classifier's own parameters: everything after the encoder's. */
function fcSpecs(projectionHead: 'v1' | 'v2', fromHeadLayer: boolean) {
  const encoderCount = paramSpecs(encoderLayerNames(spec)).length;
  const all = paramSpecs(classifierLayerNames({ ...spec, projectionHead }, dim, 3, fromHeadLayer));
  return all.slice(encoderCount).map(({ name, shape }) => [name, shape]);
}

describe('classifier names (torchvision ResNet with num_classes)', () => {
  it("starts with the encoder's names, unchanged", () => {
    const encoder = paramSpecs(encoderLayerNames(spec));
    const classifier = paramSpecs(classifierLayerNames(spec, dim, 3, false));
    expect(classifier.slice(0, encoder.length)).toEqual(encoder);
  });

  it('names the linear layer fc.weight [classes, d] and fc.bias, as torchvision.models.resnet18(num_classes)', () => {
    expect(fcSpecs('v2', false)).toEqual([
      ['fc.weight', [3, dim]],
      ['fc.bias', [3]],
    ]);
  });

  it("with the v2 head's first layer, fc is Sequential(Linear without bias, BatchNorm1d, ReLU, Linear)", () => {
    expect(fcSpecs('v2', true)).toEqual([
      ['fc.0.weight', [16, dim]],
      ['fc.1.weight', [16]],
      ['fc.1.bias', [16]],
      ['fc.1.running_mean', [16]],
      ['fc.1.running_var', [16]],
      ['fc.1.num_batches_tracked', []],
      ['fc.3.weight', [3, 16]],
      ['fc.3.bias', [3]],
    ]);
  });

  it("with the v1 head's first layer, fc is Sequential(Linear, ReLU, Linear)", () => {
    expect(fcSpecs('v1', true)).toEqual([
      ['fc.0.weight', [16, dim]],
      ['fc.0.bias', [16]],
      ['fc.2.weight', [3, 16]],
      ['fc.2.bias', [3]],
    ]);
  });
});
