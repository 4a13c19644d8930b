import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainConfig } from '../../protocol/config';
import { recipeConfig } from '../../protocol/recipe-config';
import { optimizerSafetensors } from '../export/optimizer-safetensors';
import { encoderSafetensors, headSafetensors } from '../export/torchvision-weights';
import { Rng } from '../random/rng';
import { randomPixels, tinyConfig, tinyModel } from '../train/test-fixtures';
import { trainStep } from '../train/train-step';
import { trainingStateFromRecipe } from './from-recipe';
import { captureTrainingState } from './training-state';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A model trained `steps` steps, its recipe files (as the download writes them) and its own captured state. */
async function trainedRun(config: TrainConfig, steps: number) {
  const { model, optimizer } = tinyModel(config);
  const rng = new Rng(4);
  for (let i = 0; i < steps; i++) {
    const views = tf.tidy(() => tf.div(tf.sub(randomPixels(2 * config.batchSize, 8, rng), 128), 64)) as tf.Tensor4D;
    const { loss } = trainStep(
      model,
      optimizer,
      { temperature: 0.5, learningRate: 0.05, augment: () => views.clone() },
      false,
    );
    loss.dispose();
    views.dispose();
  }
  const buffer = (bytes: Uint8Array) => bytes.slice().buffer as ArrayBuffer;
  const files = {
    config: JSON.stringify(recipeConfig(config, 16, steps, 12)),
    encoder: buffer(await encoderSafetensors(model, config, steps)),
    head: buffer(await headSafetensors(model, config, steps)),
    optimizer: buffer(await optimizerSafetensors(model, config, optimizer)),
    fileList: null,
  };
  const history = { losses: new Float32Array(0), learningRates: new Float32Array(0), similarity: [] };
  const sampler = { epoch: 0, cursor: 0, rng: new Rng(1).state() };
  const own = await captureTrainingState({
    ...{ step: steps, config, model, optimizer, sampler, augmentRng: new Rng(2).state(), history },
    ...{ datasetFingerprint: 'x', imageCount: 12, lastLoss: null },
  });
  model.dispose();
  optimizer.dispose();
  return { files, own };
}

describe('a PyTorch recipe checkpoint as a training state', () => {
  it.each([
    ['adam', 'v2'],
    ['lars', 'v1'],
  ] as const)(
    '%s, head %s: weights, BatchNorm statistics, slots and step equal the run that wrote the files',
    async (optimizer, projectionHead) => {
      const config = tinyConfig({ optimizer, projectionHead });
      const { files, own } = await trainedRun(config, 2);
      const state = await trainingStateFromRecipe(files, 'fp');
      expect(state.step).toBe(2);
      expect(state.datasetFingerprint).toBe('fp');
      expect(state.imageCount).toBe(12);
      expect(state.optimizer.stepCount).toBe(2);
      // The history covers steps 1..2 (PyTorch's losses unknown), so the run records step 3 next.
      expect(state.history.losses.length).toBe(2);
      expect([...state.history.losses].every(Number.isNaN)).toBe(true);
      expect(state.history.learningRates[1]).toBeGreaterThan(0);
      expect(state.weights.map((w) => w.name)).toEqual(own.weights.map((w) => w.name));
      expect(state.weights.map((w) => w.values)).toEqual(own.weights.map((w) => w.values));
      expect(state.optimizer.slots.map((s) => s.name)).toEqual(own.optimizer.slots.map((s) => s.name));
      expect(state.optimizer.slots.map((s) => s.values)).toEqual(own.optimizer.slots.map((s) => s.values));
    },
  );

  it('refuses files from different checkpoints or another optimizer, naming the file', async () => {
    const config = tinyConfig({ optimizer: 'adam' });
    const { files } = await trainedRun(config, 1);
    const laterConfig = JSON.stringify(recipeConfig(config, 16, 5, 12));
    await expect(trainingStateFromRecipe({ ...files, config: laterConfig }, '')).rejects.toThrow(
      /config.json says step 5, optimizer.safetensors step 1/,
    );
    const sgd = JSON.stringify(recipeConfig({ ...config, optimizer: 'sgd' }, 16, 1, 12));
    await expect(trainingStateFromRecipe({ ...files, config: sgd }, '')).rejects.toThrow(
      /holds adam optimizer's state, the run uses sgd/,
    );
    const wider = JSON.stringify(recipeConfig({ ...config, widthMultiplier: 0.125 }, 16, 1, 12));
    await expect(trainingStateFromRecipe({ ...files, config: wider }, '')).rejects.toThrow(
      /encoder.safetensors does not fit/,
    );
  });
});
