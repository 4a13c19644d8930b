/**
 * "Start from weights": which of our encoders a torchvision- or timm-named ResNet file is (stem, depth,
 * widths), and whether every tensor it must hold is there with the right shape and a float dtype.
 */
import { CIFAR_STEM_MAX_SIZE, ENCODER_FAMILIES, resolveStem, stageWidths } from './architecture';
import type { EncoderName, TrainConfig } from './config';
import { FLOAT_DTYPES, type SafetensorsHeader } from './safetensors';
import { encoderLayerNames, type ParamSpec, paramSpecs } from './torchvision-names';

/** What a weights file holds, shown before Start and applied to the config. */
export interface StartWeightsSummary {
  fileName: string;
  encoder: EncoderName;
  widthMultiplier: number;
  stem: 'cifar' | 'imagenet';
  /** Values in the encoder's weights and BatchNorm statistics that are loaded. */
  parameters: number;
  /** Input size the weights were made for: the CIFAR stem's 32 px, the ImageNet stem's 224 px. */
  expectedInput: number;
  /** Tensors in the file that are not the encoder's, ignored (a classifier's fc.*). */
  ignored: string[];
  dtypes: string[];
}

/** Classifier tensors a torchvision or timm ResNet carries; the encoder ends before them. */
const CLASSIFIER = /^fc\.(weight|bias)$/;
const OPTIONAL = /\.num_batches_tracked$/;

/** The expected input size per stem: ImageNet weights are trained at 224 px, CIFAR ones at 32 px. */
export const STEM_INPUT_SIZE = { cifar: 32, imagenet: 224 } as const;

function describeShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

function blocksPerStage(names: readonly string[]): number[] {
  return [1, 2, 3, 4].map((stage) => {
    const indices = names
      .map((n) => new RegExp(`^layer${stage}\\.(\\d+)\\.`).exec(n)?.[1])
      .filter((i): i is string => i !== undefined)
      .map(Number);
    return indices.length === 0 ? 0 : Math.max(...indices) + 1;
  });
}

/** Our encoder with this block type and depth, or null. */
function encoderFor(block: 'basic' | 'bottleneck', depth: readonly number[]): EncoderName | null {
  const found = (Object.keys(ENCODER_FAMILIES) as EncoderName[]).find((name) => {
    const family = ENCODER_FAMILIES[name];
    return family.block === block && family.blocksPerStage.join() === depth.join();
  });
  return found ?? null;
}

/**
 * Reads the architecture from a file's tensor names and shapes, then checks the file against that
 * architecture's torchvision names. Throws an Error whose message lists what is missing, unexpected,
 * of the wrong shape or dtype.
 */
export function inspectStartWeights(fileName: string, header: SafetensorsHeader): StartWeightsSummary {
  const names = [...header.tensors.keys()];
  const stemWeight = header.tensors.get('conv1.weight');
  if (stemWeight?.shape.length !== 4) {
    const prefix = names.map((n) => /^(.+\.)conv1\.weight$/.exec(n)?.[1]).find((p) => p && !/layer\d/.test(p));
    if (prefix)
      throw new Error(
        `${fileName}: the ResNet's names start with "${prefix}" (a wrapped model). Save the ResNet's own names: {k.removeprefix("${prefix}"): v for k, v in state.items()}.`,
      );
    const sample = names.slice(0, 3).join(', ') || 'no tensors';
    throw new Error(
      `${fileName}: no "conv1.weight" with 4 dimensions, so this is not a torchvision or timm ResNet (it holds ${sample}${names.length > 3 ? ', …' : ''}).`,
    );
  }
  const kernel = stemWeight.shape[2];
  if (kernel !== 3 && kernel !== 7)
    throw new Error(`${fileName}: conv1.weight has a ${kernel}x${kernel} kernel; a ResNet stem is 3x3 (CIFAR) or 7x7.`);
  const stem = kernel === 3 ? 'cifar' : 'imagenet';
  const block = header.tensors.has('layer1.0.conv3.weight') ? 'bottleneck' : 'basic';
  const depth = blocksPerStage(names);
  const encoder = encoderFor(block, depth);
  if (!encoder)
    throw new Error(
      `${fileName}: a ResNet of ${block} blocks [${depth.join(', ')}] per stage; the app trains ResNet-18 (basic [2, 2, 2, 2]), ResNet-34 (basic [3, 4, 6, 3]), ResNet-50 (bottleneck [3, 4, 6, 3]) and the small ResNet (basic [1, 1, 1, 1]).`,
    );
  const widthMultiplier = stemWeight.shape[0]! / 64;
  const spec = { encoder, widthMultiplier, stem, imageSize: STEM_INPUT_SIZE[stem] } as const;
  const expected = paramSpecs(encoderLayerNames(spec));
  const problems = compareWithFile(expected, header);
  if (problems.length > 0) {
    const widths = stageWidths(widthMultiplier).join(', ');
    throw new Error(`${fileName} does not fit ${encoder} (${stem} stem, widths ${widths}): ${problems.join('; ')}.`);
  }
  const ignored = names.filter((n) => CLASSIFIER.test(n));
  const loaded = expected.filter((p) => p.role !== 'bn-count');
  const parameters = loaded.reduce((sum, p) => sum + p.shape.reduce((n, d) => n * d, 1), 0);
  const dtypes = [...new Set(loaded.map((p) => header.tensors.get(p.name)?.dtype ?? ''))].sort();
  return {
    fileName,
    encoder,
    widthMultiplier,
    stem,
    parameters,
    expectedInput: STEM_INPUT_SIZE[stem],
    ignored,
    dtypes,
  };
}

/** Problems of a file against the expected tensors (empty when it fits). */
export function compareWithFile(expected: readonly ParamSpec[], header: SafetensorsHeader): string[] {
  const problems: string[] = [];
  const byName = new Map(expected.map((p) => [p.name, p]));
  const missing = expected.filter((p) => !header.tensors.has(p.name) && !OPTIONAL.test(p.name)).map((p) => p.name);
  const unexpected = [...header.tensors.keys()].filter((n) => !byName.has(n) && !CLASSIFIER.test(n));
  const wrongShape: string[] = [];
  const wrongDtype: string[] = [];
  for (const p of expected) {
    const info = header.tensors.get(p.name);
    if (!info) continue;
    if (describeShape(info.shape) !== describeShape(p.shape))
      wrongShape.push(`${p.name} is ${describeShape(info.shape)}, expected ${describeShape(p.shape)}`);
    const floatOk = p.role === 'bn-count' || FLOAT_DTYPES.includes(info.dtype);
    if (!floatOk) wrongDtype.push(`${p.name} is ${info.dtype}`);
  }
  const list = (label: string, items: string[]) => {
    if (items.length === 0) return;
    const shown = items.slice(0, 5).join(', ');
    problems.push(`${items.length} ${label}: ${shown}${items.length > 5 ? `, and ${items.length - 5} more` : ''}`);
  };
  list('missing', missing);
  list('unexpected', unexpected);
  list('of the wrong shape', wrongShape);
  if (wrongDtype.length > 0) list('not float32, float16 or bfloat16', wrongDtype);
  return problems;
}

/**
 * The config a run from these weights uses: their encoder, stem and widths. ImageNet-stem weights get
 * their 224 px input when the size set is a CIFAR-sized one (the stem would shrink 32 px to 8 px).
 */
export function configForWeights(config: TrainConfig, summary: StartWeightsSummary): TrainConfig {
  const small = config.imageSize <= CIFAR_STEM_MAX_SIZE;
  return {
    ...config,
    encoder: summary.encoder,
    widthMultiplier: summary.widthMultiplier,
    stem: summary.stem,
    imageSize: summary.stem === 'imagenet' && small ? summary.expectedInput : config.imageSize,
  };
}

/** Why `config` cannot start from these weights (null when it can): the plan must match the file. */
export function weightsMismatch(config: TrainConfig, summary: StartWeightsSummary): string | null {
  const differs: string[] = [];
  if (config.encoder !== summary.encoder) differs.push(`encoder ${config.encoder} (the file is ${summary.encoder})`);
  if (config.widthMultiplier !== summary.widthMultiplier)
    differs.push(`width multiplier ${config.widthMultiplier} (the file's is ${summary.widthMultiplier})`);
  const stem = resolveStem(config.stem, config.imageSize);
  if (stem !== summary.stem) differs.push(`the ${stem} stem (the file has the ${summary.stem} stem)`);
  if (differs.length === 0) return null;
  return `The settings no longer match ${summary.fileName}: ${differs.join(', ')}. Load the file again or remove it.`;
}
