/**
 * The full state of a training run at a step boundary: everything needed to continue it exactly as if
 * it had never stopped (weights including BatchNorm statistics, optimizer slots and step count, sampler
 * and augmentation generator positions, metrics history for the charts).
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainConfig } from '../../protocol/config';
import type { SamplerState } from '../data/epoch-sampler';
import type { Optimizer } from '../optim/optimizers';
import type { RngState } from '../random/rng';
import type { SimclrModel } from '../train/simclr-model';
import type { MetricsHistoryData } from './history';

export const TRAINING_STATE_VERSION = 1;

/** One tensor by a stable name (independent of tfjs' global layer-name counters). */
export interface TensorRecord {
  name: string;
  shape: number[];
  values: Float32Array;
}

export interface TrainingState {
  version: typeof TRAINING_STATE_VERSION;
  /** Optimizer steps done (the next step is step + 1); the schedule position follows from it. */
  step: number;
  config: TrainConfig;
  /** Every weight of f and g, trainable or not (BatchNorm moving statistics too), in model order. */
  weights: TensorRecord[];
  optimizer: { name: TrainConfig['optimizer']; stepCount: number; slots: TensorRecord[] };
  sampler: SamplerState;
  augmentRng: RngState;
  datasetFingerprint: string;
  imageCount: number;
  lastLoss: number | null;
  history: MetricsHistoryData;
}

/** What capture reads from and restore writes into. */
export interface TrainingParts {
  step: number;
  config: TrainConfig;
  model: SimclrModel;
  optimizer: Optimizer;
  sampler: SamplerState;
  augmentRng: RngState;
  datasetFingerprint: string;
  imageCount: number;
  lastLoss: number | null;
  history: MetricsHistoryData;
}

interface NamedVariable {
  name: string;
  variable: tf.Variable;
}

/** Every weight of f then g, named `encoder/<layer index>/<weight name>` (stable across page loads). */
export function modelVariables(model: SimclrModel): NamedVariable[] {
  const named: NamedVariable[] = [];
  const add = (section: string, layers: readonly tf.layers.Layer[]) => {
    layers.forEach((layer, index) => {
      for (const weight of layer.weights) {
        // LayerVariable.read() returns the backing tf.Variable.
        // originalName is '<unique layer name>/kernel'; the layer name depends on a global counter, so keep the last part.
        const short = weight.originalName.split('/').pop() ?? weight.originalName;
        named.push({ name: `${section}/${index}/${short}`, variable: weight.read() as tf.Variable });
      }
    });
  };
  add('encoder', model.encoder.layers);
  add('head', model.head.layers);
  return named;
}

/** The optimizer's slots, named after the model variable each belongs to. */
function slotVariables(model: SimclrModel, optimizer: Optimizer): NamedVariable[] {
  const paramNames = new Map(modelVariables(model).map((v) => [v.variable.name, v.name]));
  return optimizer.slots().map((slot, i) => {
    // Slot names are `<variable name>/<kind>`; keep the kind, swap the variable name for the stable one.
    const cut = slot.name.lastIndexOf('/');
    const owner = paramNames.get(slot.name.slice(0, cut)) ?? `slot${i}`;
    return { name: `${owner}/${slot.name.slice(cut + 1)}`, variable: slot };
  });
}

async function readAll(variables: NamedVariable[]): Promise<TensorRecord[]> {
  // GPU-to-CPU sync: every weight and slot is read back (once per checkpoint, between steps).
  const values = await Promise.all(variables.map((v) => v.variable.data() as Promise<Float32Array>));
  return variables.map((v, i) => ({ name: v.name, shape: [...v.variable.shape], values: values[i]! }));
}

/** Reads the whole state back from the GPU. Call between steps only (nothing may be updating the weights). */
export async function captureTrainingState(parts: TrainingParts): Promise<TrainingState> {
  const [weights, slots] = await Promise.all([
    readAll(modelVariables(parts.model)),
    readAll(slotVariables(parts.model, parts.optimizer)),
  ]);
  return {
    version: TRAINING_STATE_VERSION,
    step: parts.step,
    config: structuredClone(parts.config),
    weights,
    optimizer: { name: parts.config.optimizer, stepCount: parts.optimizer.stepCount(), slots },
    sampler: { ...parts.sampler, rng: [...parts.sampler.rng] as unknown as RngState },
    augmentRng: [...parts.augmentRng] as unknown as RngState,
    datasetFingerprint: parts.datasetFingerprint,
    imageCount: parts.imageCount,
    lastLoss: parts.lastLoss,
    history: parts.history,
  };
}

function assignAll(what: string, variables: NamedVariable[], records: TensorRecord[]): void {
  if (records.length !== variables.length) {
    throw new Error(`The checkpoint has ${records.length} ${what}, this model has ${variables.length}.`);
  }
  variables.forEach((v, i) => {
    const record = records[i]!;
    const same =
      record.shape.length === v.variable.shape.length && record.shape.every((d, k) => d === v.variable.shape[k]);
    if (record.name !== v.name || !same) {
      throw new Error(
        `The checkpoint's ${what} ${record.name} [${record.shape}] does not fit ${v.name} [${v.variable.shape}].`,
      );
    }
  });
  tf.tidy(() => {
    variables.forEach((v, i) => {
      const record = records[i]!;
      v.variable.assign(tf.tensor(record.values, record.shape, 'float32'));
    });
  });
}

/**
 * Writes a state's weights and optimizer slots into a model and optimizer built from the same config.
 * The sampler and the augmentation generator are rebuilt by the caller from `state.sampler` and
 * `state.augmentRng`. Throws, leaving a clear message, when the state does not fit the model.
 */
export function restoreTrainingState(state: TrainingState, target: { model: SimclrModel; optimizer: Optimizer }): void {
  if (state.version !== TRAINING_STATE_VERSION) {
    throw new Error(
      `Checkpoint version ${String(state.version)} is not supported (expected ${TRAINING_STATE_VERSION}).`,
    );
  }
  assignAll('weights', modelVariables(target.model), state.weights);
  assignAll('optimizer slots', slotVariables(target.model, target.optimizer), state.optimizer.slots);
  target.optimizer.setStepCount(state.optimizer.stepCount);
}
