import * as tf from '@tensorflow/tfjs';
import { headLayerSizes } from '../../protocol/architecture';
import type { TrainConfig } from '../../protocol/config';
import { applyBatchNormRelu } from '../model/batchnorm-relu-layers';
import { applyLayer, countParams, type GraphNode, trainableParams } from '../model/layer-graph';
import { buildResNet, type ResNetGraph } from '../model/resnet';
import type { TrainableParam } from '../optim/optimizers';
import type { SimclrModel } from '../train/simclr-model';

export interface ClassifierOptions {
  classes: number;
  /** SimCLR v2 section 3: fine-tune from the projection head's first layer (Linear [- BN] - ReLU) too. */
  fromHeadLayer: boolean;
}

/** A copy of the encoder f (and optionally g's first layer) with a linear classifier on top. */
export interface Classifier {
  encoder: ResNetGraph;
  /** The layers trained: encoder, the head's first layer when kept, and the linear layer. */
  params: TrainableParam[];
  /** Every layer in creation order: encoder, the head's layer when kept, linear (torchvision-names' order). */
  layers: readonly tf.layers.Layer[];
  paramCount: number;
  /** [B, s, s, 3] normalized -> what the linear layer sees [B, f] (h, or the head layer's output). */
  features(x: tf.Tensor4D, training: boolean): tf.Tensor2D;
  /** Sets the linear layer: weights [f, classes], bias [classes] (e.g. a fitted linear probe). */
  setLinear(weights: tf.Tensor2D, bias: tf.Tensor1D): void;
  /** [B, s, s, 3] normalized -> logits [B, classes]; BatchNorm in training mode when `training`. */
  logits(x: tf.Tensor4D, training: boolean): tf.Tensor2D;
  /** The exported network, inference mode: [B, s, s, 3] normalized -> softmax probabilities [B, classes]. */
  model: tf.LayersModel;
  dispose(): void;
}

/**
 * Builds the classifier for `config`'s architecture. With `source`, its weights are copied from the trained
 * network (the source is left untouched: fine-tuning never changes the SimCLR run); without, they are the
 * seeded initial weights of a fresh network of the same shape, the from-scratch baseline. The linear layer
 * starts at zero, as SimCLR v2's fine-tuning does, until `setLinear` gives it other weights.
 */
export function buildClassifier(
  config: TrainConfig,
  options: ClassifierOptions,
  source: SimclrModel | null,
): Classifier {
  const encoder = buildResNet(config);
  const hidden = options.fromHeadLayer ? headFirstLayer(config, encoder.representationDim) : null;
  const output = tf.layers.dense({ units: options.classes, kernelInitializer: 'zeros', name: 'classifier_logits' });
  const softmax = tf.layers.softmax({ name: 'probabilities' });
  const features = <T extends GraphNode>(x: T, training: boolean): T => {
    const h = encoder.run(x, training);
    return hidden ? hidden.run(h, training) : h;
  };
  const input = tf.input({ shape: [config.imageSize, config.imageSize, 3], name: 'image' });
  const logits = applyLayer(output, features(input, false), false);
  const model = tf.model({ inputs: input, outputs: applyLayer(softmax, logits, false), name: 'simclr_classifier' });
  if (source) {
    copyWeights(source.encoder.layers, encoder.layers);
    if (hidden) copyWeights(source.head.layers.slice(0, hidden.layers.length), hidden.layers);
  }
  const layers = [...encoder.layers, ...(hidden?.layers ?? []), output];
  const params = trainableParams(layers);
  return {
    encoder,
    params,
    layers,
    paramCount: countParams(params),
    features: (x, training) => features<tf.Tensor>(x, training) as tf.Tensor2D,
    setLinear: (weights, bias) => output.setWeights([weights, bias]),
    logits: (x, training) => applyLayer<tf.Tensor>(output, features<tf.Tensor>(x, training), training) as tf.Tensor2D,
    model,
    dispose() {
      model.dispose();
    },
  };
}

/** g's first stage as projection-head.ts builds it: v1 Linear(bias) - ReLU, v2 Linear(no bias) - BN - ReLU. */
function headFirstLayer(config: TrainConfig, inputDim: number) {
  const units = headLayerSizes(config, inputDim)[1]!;
  const v2 = config.projectionHead === 'v2';
  const dense = tf.layers.dense({ units, useBias: !v2 });
  const bn = v2 ? tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }) : null;
  const relu = tf.layers.reLU();
  return {
    layers: bn ? [dense, bn, relu] : [dense, relu],
    run<T extends GraphNode>(h: T, training: boolean): T {
      const y = applyLayer(dense, h, training);
      return bn ? applyBatchNormRelu(bn, relu, y, training) : applyLayer(relu, y, training);
    },
  };
}

/** Copies every weight (moving statistics too) layer by layer; both lists were built from the same plan. */
function copyWeights(from: readonly tf.layers.Layer[], to: readonly tf.layers.Layer[]): void {
  if (from.length !== to.length) throw new Error(`cannot copy ${from.length} layers into ${to.length}`);
  to.forEach((layer, i) => {
    const weights = from[i]!.getWeights();
    if (weights.length > 0) layer.setWeights(weights.map((w) => w.clone()));
  });
}
