import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG, type EncoderName } from './config';
import { parseSafetensors, type WritableTensor, writeSafetensors } from './safetensors';
import { configForWeights, inspectStartWeights, weightsMismatch } from './start-weights';
import { encoderLayerNames, type ParamSpec, paramSpecs } from './torchvision-names';

type Spec = { encoder: EncoderName; widthMultiplier: number; stem: 'cifar' | 'imagenet' };

/** A zero-filled file with `spec`'s torchvision tensors, edited by `edit` (names to tensors). */
function weightsFile(spec: Spec, edit: (tensors: Map<string, WritableTensor>) => void = () => {}) {
  const tensors = new Map<string, WritableTensor>();
  for (const p of paramSpecs(encoderLayerNames({ ...spec, imageSize: 32 }))) tensors.set(p.name, zeros(p));
  edit(tensors);
  return parseSafetensors(writeSafetensors([...tensors.values()]));
}

function zeros(p: Pick<ParamSpec, 'name' | 'shape' | 'role'>): WritableTensor {
  const size = p.shape.reduce((n, d) => n * d, 1);
  return p.role === 'bn-count'
    ? { name: p.name, dtype: 'I64', shape: p.shape, data: new BigInt64Array(size) }
    : { name: p.name, dtype: 'F32', shape: p.shape, data: new Float32Array(size) };
}

describe('start from weights: reading the architecture from a file', () => {
  it('recognizes a torchvision ResNet-18 classifier, ignores fc and expects ImageNet input', () => {
    const header = weightsFile({ encoder: 'resnet18', widthMultiplier: 0.25, stem: 'imagenet' }, (t) => {
      t.set('fc.weight', zeros({ name: 'fc.weight', shape: [10, 128], role: 'linear' }));
      t.set('fc.bias', zeros({ name: 'fc.bias', shape: [10], role: 'bias' }));
    });
    const summary = inspectStartWeights('r18.safetensors', header);
    expect(summary).toMatchObject({
      encoder: 'resnet18',
      widthMultiplier: 0.25,
      stem: 'imagenet',
      expectedInput: 224,
      ignored: ['fc.weight', 'fc.bias'],
      dtypes: ['F32'],
    });
    // torchvision's resnet18 at these widths: sum of state_dict() sizes without num_batches_tracked.
    expect(summary.parameters).toBe(704_496);
  });

  it('recognizes the small ResNet, ResNet-34 and ResNet-50 with either stem; timm files without num_batches_tracked', () => {
    const specs: Spec[] = [
      { encoder: 'resnet-small', widthMultiplier: 0.25, stem: 'cifar' },
      { encoder: 'resnet34', widthMultiplier: 0.125, stem: 'imagenet' },
      { encoder: 'resnet50', widthMultiplier: 0.125, stem: 'cifar' },
    ];
    for (const spec of specs) {
      const header = weightsFile(spec, (t) => {
        for (const name of [...t.keys()]) if (name.endsWith('num_batches_tracked')) t.delete(name);
      });
      expect(inspectStartWeights('f', header)).toMatchObject(spec);
    }
  });

  it('lists missing, unexpected, wrongly shaped and non-float tensors', () => {
    const spec: Spec = { encoder: 'resnet18', widthMultiplier: 0.25, stem: 'cifar' };
    const header = weightsFile(spec, (t) => {
      t.delete('layer2.0.downsample.0.weight');
      t.set('layer2.0.se.weight', zeros({ name: 'layer2.0.se.weight', shape: [4], role: 'bias' }));
      t.set('layer3.1.bn2.running_var', zeros({ name: 'layer3.1.bn2.running_var', shape: [63], role: 'bn-var' }));
      t.set('bn1.weight', { name: 'bn1.weight', dtype: 'I64', shape: [16], data: new BigInt64Array(16) });
    });
    const message = (() => {
      try {
        inspectStartWeights('odd.safetensors', header);
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    expect(message).toContain('odd.safetensors does not fit resnet18 (cifar stem, widths 16, 32, 64, 128)');
    expect(message).toContain('1 missing: layer2.0.downsample.0.weight');
    expect(message).toContain('1 unexpected: layer2.0.se.weight');
    expect(message).toContain('1 of the wrong shape: layer3.1.bn2.running_var is [63], expected [64]');
    expect(message).toContain('1 not float32, float16 or bfloat16: bn1.weight is I64');
  });

  it('explains files that are not a ResNet it can train', () => {
    const notResnet = parseSafetensors(
      writeSafetensors([
        { name: 'encoder.blocks.0.attn.qkv.weight', dtype: 'F32', shape: [2], data: new Float32Array(2) },
      ]),
    );
    expect(() => inspectStartWeights('vit.safetensors', notResnet)).toThrow(/no "conv1.weight".*encoder\.blocks\.0/);
    const wrapped = weightsFile({ encoder: 'resnet-small', widthMultiplier: 0.125, stem: 'cifar' }, (t) => {
      for (const [name, tensor] of [...t]) {
        t.delete(name);
        t.set(`backbone.${name}`, { ...tensor, name: `backbone.${name}` });
      }
    });
    expect(() => inspectStartWeights('lightly.safetensors', wrapped)).toThrow(
      /names start with "backbone\." \(a wrapped model\)\. Save the ResNet's own names: \{k\.removeprefix\("backbone\."\)/,
    );
    const deeper = weightsFile({ encoder: 'resnet18', widthMultiplier: 0.125, stem: 'cifar' }, (t) => {
      for (const [name, tensor] of [...t]) {
        const moved = name.replace(/^layer1\.1\./, 'layer1.2.');
        if (moved !== name) t.set(moved, { ...tensor, name: moved });
      }
    });
    expect(() => inspectStartWeights('r', deeper)).toThrow(/basic blocks \[3, 2, 2, 2\] per stage; the app trains/);
  });

  it("the run takes the file's encoder, stem and widths, and 224 px for ImageNet weights at a CIFAR size", () => {
    const header = weightsFile({ encoder: 'resnet50', widthMultiplier: 0.125, stem: 'imagenet' });
    const summary = inspectStartWeights('r50', header);
    const config = configForWeights({ ...DEFAULT_TRAIN_CONFIG, imageSize: 32, stem: 'auto' }, summary);
    expect(config).toMatchObject({ encoder: 'resnet50', widthMultiplier: 0.125, stem: 'imagenet', imageSize: 224 });
    expect(configForWeights({ ...DEFAULT_TRAIN_CONFIG, imageSize: 160 }, summary).imageSize).toBe(160);
    expect(weightsMismatch(config, summary)).toBeNull();
    expect(weightsMismatch({ ...config, stem: 'auto' }, summary)).toBeNull();
    expect(weightsMismatch({ ...config, stem: 'auto', imageSize: 32 }, summary)).toMatch(
      /the cifar stem \(the file has/,
    );
    expect(weightsMismatch({ ...config, widthMultiplier: 0.5 }, summary)).toMatch(
      /no longer match r50: width multiplier 0.5 \(the file's is 0.125\)/,
    );
  });
});
