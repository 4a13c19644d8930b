import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { it } from 'vitest';
import { drawViewParams } from '../core/augment/params';
import { registerWasmConvGradients } from '../core/backend/conv2d-grad-in-ops';
import { createOptimizer } from '../core/optim/optimizers';
import { Rng } from '../core/random/rng';
import { chunkedTrainStep } from '../core/train/chunked-step';
import { buildSimclrModel } from '../core/train/simclr-model';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../protocol/config';
import { memoryLimitsFor, planStep } from '../protocol/step-memory';

const B = Number(process.env.B ?? 256);
const config: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, encoder: 'resnet18', widthMultiplier: 0.25, imageSize: 32, batchSize: B };

it('measure', async () => {
  await tf.setBackend('wasm');
  registerWasmConvGradients();
  const model = buildSimclrModel(config);
  const optimizer = createOptimizer('lars', model.params, { weightDecay: 1e-6 });
  const result = planStep(config, memoryLimitsFor('wasm', { residentBytes: 16 * (model.encoderParamCount + model.headParamCount) }));
  if (!result.fits) throw new Error('no fit');
  const passes = Number(process.env.P ?? result.plan.passes);
  console.log('plan', JSON.stringify(result.plan), 'passes used', passes);
  const rng = new Rng(1);
  const images = tf.tensor4d(Int32Array.from({ length: B * 32 * 32 * 3 }, () => rng.int(256)), [B, 32, 32, 3], 'int32');
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const views = drawViewParams(new Rng(2 + i), 2 * B, 32, config.augment);
    const { loss } = chunkedTrainStep(model, optimizer, { images, views, viewSize: 32, temperature: 0.5, learningRate: 0.01 }, passes, false);
    console.log('step', i, 'loss', (await loss.data())[0], 'sec', ((performance.now() - t0) / 1000).toFixed(1), 'rssGiB', (process.memoryUsage().rss / 2 ** 30).toFixed(2), 'tensors', tf.memory().numTensors);
    loss.dispose();
  }
}, 1_800_000);
