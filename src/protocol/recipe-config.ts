/**
 * config.json of the "Continue on GPUs (PyTorch)" download and of the recipe's checkpoints
 * (pytorch/recipe/train.py reads `train`, `storeSize` and `step`; writes the same with its step).
 */
import type { TrainConfig } from './config';

export const RECIPE_FORMAT = 'simclr-tab-recipe';

export interface RecipeConfig {
  format: typeof RECIPE_FORMAT;
  version: 1;
  train: TrainConfig;
  /** Side the app stores images at before cropping views (DataConfig.storeSize). */
  storeSize: number;
  /** Optimizer steps done: the recipe continues from the next one. */
  step: number;
  /** Images the app trained on (files.txt lists them). */
  imageCount: number;
}

export function recipeConfig(train: TrainConfig, storeSize: number, step: number, imageCount: number): RecipeConfig {
  return { format: RECIPE_FORMAT, version: 1, train, storeSize, step, imageCount };
}

/** Parses a recipe config.json; throws a message naming what is wrong. */
export function parseRecipeConfig(text: string, fileName: string): RecipeConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${fileName} is not valid JSON.`);
  }
  const v = value as Partial<RecipeConfig> | null;
  if (!v || v.format !== RECIPE_FORMAT || typeof v.train !== 'object' || !Number.isInteger(v.step))
    throw new Error(`${fileName} is not a simclr-tab recipe config (format "${RECIPE_FORMAT}" with train and step).`);
  return v as RecipeConfig;
}

/** A checkpoint folder of the recipe (checkpoints/step-N/ or the download's weights/ with config.json). */
export interface RecipeCheckpointFiles {
  /** config.json's text. */
  config: string;
  encoder: ArrayBuffer;
  head: ArrayBuffer;
  optimizer: ArrayBuffer;
  /** files.txt's text (the images trained on, one path a line), null when the folder has none. */
  fileList: string | null;
}
