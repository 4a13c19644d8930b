import type { TrainConfig } from '../../protocol/config';
import type { PytorchFiles } from '../../protocol/messages';
import type { Optimizer } from '../optim/optimizers';
import type { SimclrModel } from '../train/simclr-model';
import { optimizerSafetensors } from './optimizer-safetensors';
import { encoderSafetensors, headSafetensors } from './torchvision-weights';

/** The files for a download (encoder, head, optimizer state); their buffers can be transferred. */
export async function pytorchFiles(
  model: SimclrModel,
  config: TrainConfig,
  stepsTrained: number,
  optimizer: Optimizer,
): Promise<PytorchFiles> {
  const encoder = await encoderSafetensors(model, config, stepsTrained);
  const head = await headSafetensors(model, config, stepsTrained);
  const slots = await optimizerSafetensors(model, config, optimizer);
  return {
    encoder: encoder.buffer as ArrayBuffer,
    head: head.buffer as ArrayBuffer,
    optimizer: slots.buffer as ArrayBuffer,
  };
}
