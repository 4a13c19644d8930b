import * as tf from '@tensorflow/tfjs';
import type { TrainConfig } from '../../protocol/config';
import { countParams, trainableParams } from '../model/layer-graph';
import { buildProjectionHead, type ProjectionHeadGraph } from '../model/projection-head';
import { buildResNet, type ResNetGraph } from '../model/resnet';
import type { TrainableParam } from '../optim/optimizers';

/** Encoder f and projection head g, plus the exportable inference model of f (same weights). */
export interface SimclrModel {
  encoder: ResNetGraph;
  head: ProjectionHeadGraph;
  /** f as a tf.LayersModel in inference mode: [B, s, s, 3] normalized -> h [B, d]. */
  encoderModel: tf.LayersModel;
  params: TrainableParam[];
  encoderParamCount: number;
  headParamCount: number;
  dispose(): void;
}

/** Builds f and g with initial weights determined by config.seed. */
export function buildSimclrModel(config: TrainConfig): SimclrModel {
  const encoder = buildResNet(config);
  const head = buildProjectionHead(config, encoder.representationDim, config.seed);
  const input = tf.input({ shape: [config.imageSize, config.imageSize, 3], name: 'image' });
  const representation = encoder.run(input, false);
  const encoderModel = tf.model({ inputs: input, outputs: representation, name: 'simclr_encoder' });
  // Applying g symbolically builds its weights with the right input size.
  head.run(representation, false);
  const encoderParams = trainableParams(encoder.layers);
  const headParams = trainableParams(head.layers);
  return {
    encoder,
    head,
    encoderModel,
    params: [...encoderParams, ...headParams],
    encoderParamCount: countParams(encoderParams),
    headParamCount: countParams(headParams),
    dispose() {
      encoderModel.dispose();
      for (const layer of head.layers) layer.dispose();
    },
  };
}
