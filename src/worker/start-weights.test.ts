import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { encoderSafetensors } from '../core/export/torchvision-weights';
import { buildSimclrModel } from '../core/train/simclr-model';
import { tinyConfig } from '../core/train/test-fixtures';
import { readStartWeights } from './start-weights';

describe('readStartWeights', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it("accepts a file that fits the run's encoder and refuses others with the file's name", async () => {
    const config = tinyConfig({ widthMultiplier: 0.25, imageSize: 16 });
    const model = buildSimclrModel(config);
    const bytes = await encoderSafetensors(model, config, 0);
    model.dispose();
    const file = (name: string, data: Uint8Array) => new File([data as Uint8Array<ArrayBuffer>], name);
    const weights = await readStartWeights(file('own.safetensors', bytes), config);
    expect(weights.header.tensors.get('conv1.weight')?.shape).toEqual([16, 3, 3, 3]);
    await expect(readStartWeights(file('own.safetensors', bytes), { ...config, encoder: 'resnet18' })).rejects.toThrow(
      /own\.safetensors does not fit this run's encoder: \d+ missing: layer1\.1\.conv1\.weight/,
    );
    await expect(
      readStartWeights(file('cut.safetensors', bytes.subarray(0, bytes.length - 10)), config),
    ).rejects.toThrow(/^cut\.safetensors: The file is truncated/);
  });
});
