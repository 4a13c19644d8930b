/**
 * The optimizer's state as .safetensors for the PyTorch recipe (pytorch/simclr_tab/optim.py): one tensor
 * per trainable parameter and slot, named `<torchvision param>.<torch.optim slot>` (AdamW: exp_avg and
 * exp_avg_sq; SGD and LARS: momentum_buffer), in PyTorch layouts; the step count in __metadata__.
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerName, TrainConfig } from '../../protocol/config';
import { readFloat32, type SafetensorsHeader, type WritableTensor, writeSafetensors } from '../../protocol/safetensors';
import type { Optimizer } from '../optim/optimizers';
import type { SimclrModel } from '../train/simclr-model';
import { fromTorchLayout, torchvisionParams, toTorchLayout } from './torchvision-weights';

/** Our slot suffix (optimizers.ts, lars.ts) -> torch.optim's state key, per optimizer. */
const SLOT_NAMES: Record<OptimizerName, ReadonlyArray<readonly [string, string]>> = {
  adam: [
    ['adam_m', 'exp_avg'],
    ['adam_v', 'exp_avg_sq'],
  ],
  sgd: [['momentum', 'momentum_buffer']],
  lars: [['lars_v', 'momentum_buffer']],
};

interface SlotPair {
  torchName: string;
  slot: tf.Variable;
}

function pairSlots(model: SimclrModel, config: TrainConfig, optimizer: Optimizer): SlotPair[] {
  const slots = new Map(optimizer.slots().map((s) => [s.name, s]));
  const pairs: SlotPair[] = [];
  for (const { name, variable } of torchvisionParams(model, config)) {
    for (const [ours, torch] of SLOT_NAMES[config.optimizer]) {
      const slot = slots.get(`${variable.name}/${ours}`);
      if (!slot) throw new Error(`optimizer state: no ${ours} slot for ${name}`);
      pairs.push({ torchName: `${name}.${torch}`, slot });
    }
  }
  if (pairs.length !== slots.size)
    throw new Error(`optimizer state: ${slots.size} slots, ${pairs.length} matched to parameters`);
  return pairs;
}

/** The optimizer's slots and step count as safetensors (reads every slot back from the GPU: between steps only). */
export async function optimizerSafetensors(
  model: SimclrModel,
  config: TrainConfig,
  optimizer: Optimizer,
): Promise<Uint8Array> {
  const tensors: WritableTensor[] = [];
  for (const { torchName, slot } of pairSlots(model, config, optimizer)) {
    const torch = toTorchLayout(slot);
    tensors.push({ name: torchName, dtype: 'F32', shape: torch.shape, data: (await torch.data()) as Float32Array });
    torch.dispose();
  }
  const metadata = {
    format: 'simclr-tab-optimizer',
    optimizer: config.optimizer,
    step: String(optimizer.stepCount()),
  };
  return writeSafetensors(tensors, metadata);
}

/** Sets the slots and step count from a file written by optimizerSafetensors or the recipe; throws naming what does not fit. */
export function loadOptimizerSafetensors(
  model: SimclrModel,
  config: TrainConfig,
  optimizer: Optimizer,
  bytes: Uint8Array,
  header: SafetensorsHeader,
): void {
  const saved = header.metadata.optimizer;
  if (saved !== config.optimizer)
    throw new Error(
      `optimizer.safetensors holds ${saved ?? 'an unnamed'} optimizer's state, the run uses ${config.optimizer}.`,
    );
  const step = Number(header.metadata.step);
  if (!Number.isInteger(step) || step < 0) throw new Error('optimizer.safetensors has no valid step in its metadata.');
  const pairs = pairSlots(model, config, optimizer);
  const missing = pairs.filter((p) => !header.tensors.has(p.torchName)).map((p) => p.torchName);
  if (missing.length > 0)
    throw new Error(`optimizer.safetensors lacks ${missing.length} slots (first: ${missing[0]}).`);
  tf.tidy(() => {
    for (const { torchName, slot } of pairs) {
      const info = header.tensors.get(torchName)!;
      const torch = tf.tensor(readFloat32(bytes, header, torchName), info.shape);
      const value = fromTorchLayout(torch);
      if (value.shape.join() !== slot.shape.join())
        throw new Error(
          `optimizer.safetensors: ${torchName} is [${info.shape}], expected the layout of [${slot.shape}].`,
        );
      slot.assign(value);
    }
  });
  optimizer.setStepCount(step);
}
