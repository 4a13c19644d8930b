import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSafetensors } from '../../protocol/safetensors';
import { encoderLayerNames, headLayerNames, paramSpecs } from '../../protocol/torchvision-names';
import { maxAbsDiff } from '../testing/max-abs-diff';
import { buildSimclrModel } from '../train/simclr-model';
import { tinyConfig } from '../train/test-fixtures';
import { checkEncoderWeights, encoderSafetensors, headSafetensors, loadEncoderWeights } from './torchvision-weights';

describe('encoder weights as torchvision-named safetensors', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('names every tensor as torchvision does, in PyTorch layouts', async () => {
    const config = tinyConfig({ encoder: 'resnet18', widthMultiplier: 0.25, projectionHead: 'v2' });
    const model = buildSimclrModel(config);
    const encoder = parseSafetensors(await encoderSafetensors(model, config, 4));
    const head = parseSafetensors(await headSafetensors(model, config, 4));
    const shapes = (h: typeof encoder) => [...h.tensors].map(([name, info]) => [name, info.shape]);
    const expected = (specs: ReturnType<typeof paramSpecs>) => specs.map((p) => [p.name, p.shape]);
    expect(shapes(encoder)).toEqual(expected(paramSpecs(encoderLayerNames(config))));
    expect(shapes(head)).toEqual(expected(paramSpecs(headLayerNames(config, 128))));
    expect(encoder.tensors.get('layer2.0.downsample.0.weight')?.shape).toEqual([32, 16, 1, 1]);
    expect(encoder.tensors.get('conv1.weight')?.shape).toEqual([16, 3, 3, 3]);
    expect(encoder.tensors.get('bn1.num_batches_tracked')).toMatchObject({ dtype: 'I64', shape: [] });
    expect(head.tensors.get('3.weight')?.shape).toEqual([16, 16]);
    expect(encoder.metadata).toMatchObject({ encoder: 'resnet18', width_multiplier: '0.25', stem: 'auto' });
    model.dispose();
  });

  it('round-trips exactly: a model loaded from its own export has the same weights and exports the same bytes', async () => {
    const config = tinyConfig({ widthMultiplier: 0.25, imageSize: 16 });
    const source = buildSimclrModel({ ...config, seed: 1 });
    // Move the BatchNorm statistics off their initial values so they are checked too.
    const x = tf.randomNormal([4, 16, 16, 3], 0, 1, 'float32', 3);
    tf.dispose(source.encoder.run(x, true));
    const bytes = await encoderSafetensors(source, config, 9);
    const target = buildSimclrModel({ ...config, seed: 2 });
    loadEncoderWeights(target, config, checkEncoderWeights(bytes, config, 'own.safetensors'));
    const again = await encoderSafetensors(target, config, 9);
    expect(again.length).toBe(bytes.length);
    expect(again.findIndex((byte, i) => byte !== bytes[i])).toBe(-1);
    const a = source.encoderModel.predict(x) as tf.Tensor;
    const b = target.encoderModel.predict(x) as tf.Tensor;
    expect(maxAbsDiff(await b.data(), await a.data())).toBe(0);
    tf.dispose([x, a, b]);
    source.dispose();
    target.dispose();
  });

  it('refuses a file made for another width before touching the model', async () => {
    const config = tinyConfig({ widthMultiplier: 0.25, imageSize: 16 });
    const model = buildSimclrModel(config);
    const bytes = await encoderSafetensors(model, config, 0);
    expect(() => checkEncoderWeights(bytes, { ...config, widthMultiplier: 0.5 }, 'w.safetensors')).toThrow(
      /w.safetensors does not fit this run's encoder: .*of the wrong shape: conv1.weight is \[16, 3, 3, 3\], expected \[32, 3, 3, 3\]/,
    );
    model.dispose();
  });
});
