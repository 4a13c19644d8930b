/**
 * A PyTorch recipe checkpoint (encoder, head and optimizer .safetensors with config.json; pytorch/recipe)
 * as a TrainingState, so Import restores it like one of our own checkpoints. What the recipe does not
 * keep (our sampler and augmentation generator positions, the metrics history) starts afresh.
 */
import { peakLearningRate, type TrainConfig, totalSteps, withConfigDefaults } from '../../protocol/config';
import { parseRecipeConfig, type RecipeCheckpointFiles } from '../../protocol/recipe-config';
import { parseSafetensors } from '../../protocol/safetensors';
import { loadOptimizerSafetensors } from '../export/optimizer-safetensors';
import {
  checkEncoderWeights,
  checkHeadWeights,
  loadEncoderWeights,
  loadHeadWeights,
} from '../export/torchvision-weights';
import { createOptimizer } from '../optim/optimizers';
import { warmupCosineLearningRate, warmupStepCount } from '../optim/schedule';
import { Rng } from '../random/rng';
import { buildSimclrModel } from '../train/simclr-model';
import type { MetricsHistoryData } from './history';
import { captureTrainingState, type TrainingState } from './training-state';

/** `datasetFingerprint` is the loaded images' when they are the ones the checkpoint was trained on, else ''. */
export async function trainingStateFromRecipe(
  files: RecipeCheckpointFiles,
  datasetFingerprint: string,
): Promise<TrainingState> {
  const recipe = parseRecipeConfig(files.config, 'config.json');
  const config = withConfigDefaults(recipe.train);
  const model = buildSimclrModel(config);
  const optimizer = createOptimizer(config.optimizer, model.params, { weightDecay: config.weightDecay });
  try {
    loadEncoderWeights(
      model,
      config,
      checkEncoderWeights(new Uint8Array(files.encoder), config, 'encoder.safetensors'),
    );
    loadHeadWeights(model, config, checkHeadWeights(new Uint8Array(files.head), model, config, 'head.safetensors'));
    const slots = new Uint8Array(files.optimizer);
    loadOptimizerSafetensors(model, config, optimizer, slots, parseSafetensors(slots));
    if (optimizer.stepCount() !== recipe.step)
      throw new Error(
        `config.json says step ${recipe.step}, optimizer.safetensors step ${optimizer.stepCount()}: the files are from different checkpoints.`,
      );
    return await captureTrainingState({
      step: recipe.step,
      config,
      model,
      optimizer,
      sampler: { epoch: 0, cursor: 0, rng: new Rng(config.seed).state() },
      augmentRng: new Rng(config.seed + recipe.step).state(),
      datasetFingerprint,
      imageCount: recipe.imageCount,
      lastLoss: null,
      history: unknownHistory(config, recipe.step, recipe.imageCount),
    });
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}

/**
 * Steps 1..step, which the history must cover for the run to record step + 1: the losses were PyTorch's
 * and are not in the files (NaN, drawn as a gap), the learning rates follow from the schedule.
 */
function unknownHistory(config: TrainConfig, step: number, imageCount: number): MetricsHistoryData {
  const total = totalSteps(config, imageCount);
  const warmup = warmupStepCount(total, config.warmupFraction);
  const peak = peakLearningRate(config);
  return {
    losses: new Float32Array(step).fill(Number.NaN),
    learningRates: Float32Array.from({ length: step }, (_, i) => warmupCosineLearningRate(i, total, peak, warmup)),
    similarity: [],
  };
}
