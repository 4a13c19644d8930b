import type { TrainConfig } from '../../protocol/config';
import type { PytorchFiles } from '../../protocol/messages';
import type { Optimizer } from '../optim/optimizers';
import type { SimclrModel } from '../train/simclr-model';
import { optimizerSafetensors } from './optimizer-safetensors';
import { encoderSafetensors, headSafetensors } from './torchvision-weights';

/** The files for a download (encoder, head, and the optimizer state when given); their buffers can be transferred. */
export async function pytorchFiles(
  model: SimclrModel,
  config: TrainConfig,
  stepsTrained: number,
  optimizer: Optimizer | null,
): Promise<PytorchFiles> {
  const encoder = await encoderSafetensors(model, config, stepsTrained);
  const head = await headSafetensors(model, config, stepsTrained);
  const slots = optimizer ? await optimizerSafetensors(model, config, optimizer) : null;
  return {
    encoder: encoder.buffer as ArrayBuffer,
    head: head.buffer as ArrayBuffer,
    optimizer: slots ? (slots.buffer as ArrayBuffer) : null,
  };
}
