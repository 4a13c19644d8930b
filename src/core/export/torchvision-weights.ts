/**
 * The encoder and projection head as .safetensors with torchvision's names and layouts
 * (protocol/torchvision-names.ts), and the encoder's weights read back from such a file.
 * tfjs holds conv kernels HWIO and dense kernels [in, out]; PyTorch holds OIHW and [out, in].
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainConfig } from '../../protocol/config';
import {
  parseSafetensors,
  readFloat32,
  type SafetensorsHeader,
  type WritableTensor,
  writeSafetensors,
} from '../../protocol/safetensors';
import { compareWithFile } from '../../protocol/start-weights';
import {
  classifierLayerNames,
  encoderLayerNames,
  headLayerNames,
  type NamedLayer,
  paramSpecs,
} from '../../protocol/torchvision-names';
import type { Classifier } from '../finetune/classifier';
import type { SimclrModel } from '../train/simclr-model';

interface WeightedLayer {
  named: NamedLayer & { channels: number };
  /** The tfjs Conv2D or Dense layer. */
  layer: tf.layers.Layer;
  batchNorm: tf.layers.Layer | null;
}

/** Pairs named layers with the tfjs layers, which are created in the same order (core/model). */
function pairLayers(named: ReadonlyArray<NamedLayer & { channels: number }>, layers: readonly tf.layers.Layer[]) {
  const weighted = layers.filter((l) => ['Conv2D', 'Dense'].includes(l.getClassName()));
  const norms = layers.filter((l) => l.getClassName() === 'BatchNormalization');
  if (weighted.length !== named.length || norms.length !== named.filter((n) => n.batchNorm).length)
    throw new Error(`torchvision names: ${named.length} named layers for ${weighted.length} in the network`);
  let bn = 0;
  return named.map(
    (n, i): WeightedLayer => ({ named: n, layer: weighted[i]!, batchNorm: n.batchNorm ? norms[bn++]! : null }),
  );
}

function encoderLayers(model: SimclrModel, config: TrainConfig): WeightedLayer[] {
  return pairLayers(encoderLayerNames(config), model.encoder.layers);
}

function headLayers(model: SimclrModel, config: TrainConfig): WeightedLayer[] {
  return pairLayers(headLayerNames(config, model.encoder.representationDim), model.head.layers);
}

/** HWIO -> OIHW for conv kernels, [in, out] -> [out, in] for dense ones. */
export function toTorchLayout(kernel: tf.Tensor): tf.Tensor {
  return kernel.rank === 4 ? tf.transpose(kernel, [3, 2, 0, 1]) : tf.transpose(kernel);
}

export function fromTorchLayout(weight: tf.Tensor): tf.Tensor {
  return weight.rank === 4 ? tf.transpose(weight, [2, 3, 1, 0]) : tf.transpose(weight);
}

async function layersToTensors(layers: readonly WeightedLayer[], batchesTracked: number): Promise<WritableTensor[]> {
  const out: WritableTensor[] = [];
  const f32 = async (name: string, t: tf.Tensor): Promise<void> => {
    out.push({ name, dtype: 'F32', shape: t.shape, data: (await t.data()) as Float32Array });
  };
  for (const { named, layer, batchNorm } of layers) {
    const [kernel, bias] = layer.getWeights();
    const torch = toTorchLayout(kernel!);
    await f32(named.weight.name, torch);
    torch.dispose();
    if (named.bias) await f32(named.bias.name, bias!);
    if (batchNorm && named.batchNorm) {
      // tfjs BatchNormalization weights: gamma, beta, moving mean, moving variance.
      const [gamma, beta, mean, variance] = batchNorm.getWeights();
      await f32(`${named.batchNorm}.weight`, gamma!);
      await f32(`${named.batchNorm}.bias`, beta!);
      await f32(`${named.batchNorm}.running_mean`, mean!);
      await f32(`${named.batchNorm}.running_var`, variance!);
      out.push({
        name: `${named.batchNorm}.num_batches_tracked`,
        dtype: 'I64',
        shape: [],
        data: BigInt64Array.of(BigInt(batchesTracked)),
      });
    }
  }
  return out;
}

/** Describes the architecture in the file's __metadata__ (strings only, as the format requires). */
function architectureMetadata(
  config: TrainConfig,
  part: 'encoder' | 'projection-head' | 'classifier',
): Record<string, string> {
  return {
    format: `simclr-tab-${part}`,
    encoder: config.encoder,
    width_multiplier: String(config.widthMultiplier),
    stem: config.stem,
    image_size: String(config.imageSize),
    projection_head: config.projectionHead,
  };
}

/**
 * The encoder f as safetensors, torchvision names. `batchesTracked` fills num_batches_tracked (PyTorch
 * reads it only with momentum=None); the steps trained is the honest count we have.
 */
export async function encoderSafetensors(model: SimclrModel, config: TrainConfig, batchesTracked: number) {
  const tensors = await layersToTensors(encoderLayers(model, config), batchesTracked);
  return writeSafetensors(tensors, architectureMetadata(config, 'encoder'));
}

/** The projection head g as safetensors, named as the nn.Sequential it is in PyTorch (0.weight, ...). */
export async function headSafetensors(model: SimclrModel, config: TrainConfig, batchesTracked: number) {
  const tensors = await layersToTensors(headLayers(model, config), batchesTracked);
  return writeSafetensors(tensors, architectureMetadata(config, 'projection-head'));
}

/**
 * The fine-tuned classifier as safetensors: torchvision's ResNet with `fc` (classifierLayerNames). The file
 * holds logits' weights; the app's probabilities are their softmax.
 */
export async function classifierSafetensors(
  classifier: Classifier,
  config: TrainConfig,
  classes: number,
  fromHeadLayer: boolean,
  batchesTracked: number,
) {
  const named = classifierLayerNames(config, classifier.encoder.representationDim, classes, fromHeadLayer);
  const tensors = await layersToTensors(pairLayers(named, classifier.layers), batchesTracked);
  const metadata = { ...architectureMetadata(config, 'classifier'), num_classes: String(classes) };
  return writeSafetensors(tensors, { ...metadata, head_layer: fromHeadLayer ? config.projectionHead : 'none' });
}

/** A weights file parsed and checked against a run's config: ready to load into its encoder. */
export interface EncoderWeights {
  bytes: Uint8Array;
  header: SafetensorsHeader;
}

/** Parses `bytes` and checks them against `config`'s encoder; throws with what does not fit. */
export function checkEncoderWeights(bytes: Uint8Array, config: TrainConfig, fileName: string): EncoderWeights {
  const header = parseSafetensors(bytes);
  const problems = compareWithFile(paramSpecs(encoderLayerNames(config)), header);
  if (problems.length > 0) throw new Error(`${fileName} does not fit this run's encoder: ${problems.join('; ')}.`);
  return { bytes, header };
}

/** Sets the encoder's weights and BatchNorm statistics from a checked file. */
export function loadEncoderWeights(model: SimclrModel, config: TrainConfig, weights: EncoderWeights): void {
  loadLayers(encoderLayers(model, config), weights);
}

/** Parses a head file (as headSafetensors writes it) and checks it against `config`'s head; throws with what does not fit. */
export function checkHeadWeights(bytes: Uint8Array, model: SimclrModel, config: TrainConfig, fileName: string) {
  const header = parseSafetensors(bytes);
  const expected = paramSpecs(headLayerNames(config, model.encoder.representationDim));
  const problems = compareWithFile(expected, header);
  if (problems.length > 0)
    throw new Error(`${fileName} does not fit this run's projection head: ${problems.join('; ')}.`);
  return { bytes, header };
}

/** Sets the projection head's weights (and BatchNorm statistics, head v2) from a checked file. */
export function loadHeadWeights(model: SimclrModel, config: TrainConfig, weights: EncoderWeights): void {
  loadLayers(headLayers(model, config), weights);
}

function loadLayers(layers: readonly WeightedLayer[], weights: EncoderWeights): void {
  const read = (name: string, shape: number[]) => tf.tensor(readFloat32(weights.bytes, weights.header, name), shape);
  for (const { named, layer, batchNorm } of layers) {
    const own = tf.tidy(() => [fromTorchLayout(read(named.weight.name, named.weight.shape))]);
    if (named.bias) own.push(read(named.bias.name, named.bias.shape));
    const norm: tf.Tensor[] = [];
    if (batchNorm && named.batchNorm)
      for (const suffix of ['weight', 'bias', 'running_mean', 'running_var'])
        norm.push(read(`${named.batchNorm}.${suffix}`, [named.channels]));
    layer.setWeights(own);
    batchNorm?.setWeights(norm);
    tf.dispose([...own, ...norm]);
  }
}

/** A trainable tfjs variable and the torchvision parameter it is (`encoder.conv1.weight`, `head.0.bias`). */
export interface TorchvisionParam {
  name: string;
  variable: tf.Variable;
}

/**
 * Every trainable variable of f and g with its torchvision name, prefixed `encoder.` or `head.` as the
 * PyTorch recipe's SimclrNet names them; kernels must go through toTorchLayout / fromTorchLayout.
 */
export function torchvisionParams(model: SimclrModel, config: TrainConfig): TorchvisionParam[] {
  const out: TorchvisionParam[] = [];
  const add = (prefix: string, layers: readonly WeightedLayer[]) => {
    for (const { named, layer, batchNorm } of layers) {
      const [kernel, bias] = layer.trainableWeights.map((w) => w.read() as tf.Variable);
      out.push({ name: `${prefix}.${named.weight.name}`, variable: kernel! });
      if (named.bias) out.push({ name: `${prefix}.${named.bias.name}`, variable: bias! });
      if (batchNorm && named.batchNorm) {
        const [gamma, beta] = batchNorm.trainableWeights.map((w) => w.read() as tf.Variable);
        out.push({ name: `${prefix}.${named.batchNorm}.weight`, variable: gamma! });
        out.push({ name: `${prefix}.${named.batchNorm}.bias`, variable: beta! });
      }
    }
  };
  add('encoder', encoderLayers(model, config));
  add('head', headLayers(model, config));
  return out;
}
