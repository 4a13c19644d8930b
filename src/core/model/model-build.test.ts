import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { summarizeArchitecture } from '../../protocol/architecture';
import { DEFAULT_TRAIN_CONFIG, type EncoderName, type TrainConfig } from '../../protocol/config';
import { buildSimclrModel } from '../train/simclr-model';

describe('built networks match their plan', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  const cases: Array<[EncoderName, 'v1' | 'v2', number, 'auto' | 'imagenet']> = [
    ['resnet-small', 'v1', 16, 'auto'],
    ['resnet18', 'v2', 16, 'auto'],
    ['resnet34', 'v1', 16, 'imagenet'],
    ['resnet50', 'v2', 72, 'auto'],
  ];
  it.each(cases)('%s with head %s at %i px (stem %s)', (encoder, projectionHead, imageSize, stem) => {
    const config: TrainConfig = {
      ...DEFAULT_TRAIN_CONFIG,
      encoder,
      projectionHead,
      imageSize,
      stem,
      widthMultiplier: 1 / 16,
      projectionHidden: 32,
      projectionDim: 8,
    };
    const model = buildSimclrModel(config);
    const summary = summarizeArchitecture(config);
    expect(model.encoderParamCount).toBe(summary.encoderParams);
    expect(model.headParamCount).toBe(summary.headParams);
    const h = model.encoderModel.predict(tf.zeros([2, imageSize, imageSize, 3])) as tf.Tensor;
    expect(h.shape).toEqual([2, summary.representationDim]);
    const z = model.head.run(h, false);
    expect(z.shape).toEqual([2, 8]);
    tf.dispose([h, z]);
    model.dispose();
  });
});
