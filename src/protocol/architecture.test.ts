import { describe, expect, it } from 'vitest';
import { encoderPlan, headParamCount, summarizeArchitecture } from './architecture';

const imagenet = {
  imageSize: 224,
  widthMultiplier: 1,
  stem: 'auto',
  projectionHead: 'v1',
  projectionHidden: 2048,
  projectionDim: 128,
} as const;

describe('architecture plan', () => {
  // torchvision's parameter counts minus the 1000-way classifier (fc: 512*1000+1000 or 2048*1000+1000).
  it.each([
    ['resnet18', 11_689_512 - 513_000, 512],
    ['resnet34', 21_797_672 - 513_000, 512],
    ['resnet50', 25_557_032 - 2_049_000, 2048],
  ] as const)("%s has torchvision's parameter count without the classifier", (encoder, params, dim) => {
    const summary = summarizeArchitecture({ ...imagenet, encoder });
    expect(summary.encoderParams).toBe(params);
    expect(summary.representationDim).toBe(dim);
    expect(summary.stem).toBe('imagenet');
  });

  it('counts the forward FLOPs of ResNet-18 and ResNet-50 at 224 px as published (1.8 and 4.1 GMACs)', () => {
    const r18 = summarizeArchitecture({ ...imagenet, encoder: 'resnet18' });
    const r50 = summarizeArchitecture({ ...imagenet, encoder: 'resnet50' });
    expect(r18.encoderFlops / 2 / 1e9).toBeCloseTo(1.81, 1);
    expect(r50.encoderFlops / 2 / 1e9).toBeCloseTo(4.09, 1);
  });

  it('uses the CIFAR stem up to 64 px unless overridden', () => {
    expect(encoderPlan({ encoder: 'resnet18', imageSize: 32, widthMultiplier: 1, stem: 'auto' }).stemConv.kernel).toBe(
      3,
    );
    expect(encoderPlan({ encoder: 'resnet18', imageSize: 96, widthMultiplier: 1, stem: 'auto' }).stemConv.kernel).toBe(
      7,
    );
    const forced = encoderPlan({ encoder: 'resnet18', imageSize: 32, widthMultiplier: 1, stem: 'imagenet' });
    expect(forced.stem).toBe('imagenet');
    expect(forced.stemOutputSize).toBe(8);
  });

  it('counts head parameters for v1 and v2', () => {
    expect(headParamCount({ projectionHead: 'v1', projectionHidden: 512, projectionDim: 128 }, 512)).toBe(
      512 * 512 + 512 + 512 * 128 + 128,
    );
    expect(headParamCount({ projectionHead: 'v2', projectionHidden: 512, projectionDim: 128 }, 512)).toBe(
      512 * 512 + 2 * 512 + 512 * 512 + 2 * 512 + 512 * 128 + 128,
    );
  });
});
