import * as tf from '@tensorflow/tfjs';
import type { OptimizerName } from '../../protocol/config';
import { FlatParams } from './flat-update';
import { Lars } from './lars';

/** A trainable variable and whether weight decay applies to it (kernels yes; BatchNorm and biases no). */
export interface TrainableParam {
  variable: tf.Variable;
  decay: boolean;
}

/** Optimizers take the learning rate at every step, so the schedule stays a pure function outside them. */
export interface Optimizer {
  /** Updates every parameter in place; `grads[i]` is the gradient of `params[i]`. */
  apply(grads: readonly tf.Tensor[], learningRate: number): void;
  /** Slot variables (moments, momentum buffers), in a fixed order, for checkpoints. */
  slots(): tf.Variable[];
  /** Updates applied so far (Adam's bias correction depends on it), for checkpoints. */
  stepCount(): number;
  setStepCount(count: number): void;
  dispose(): void;
}

export interface OptimizerOptions {
  weightDecay: number;
  /**
   * AdamW and SGD update all parameters at once as flat vectors (flat-update.ts) instead of parameter by
   * parameter; same arithmetic. Default: flatUpdateByDefault(). LARS is always per parameter (its trust
   * ratio is per layer).
   */
  flat?: boolean;
}

/**
 * Flat updates everywhere but WebGPU: on wasm (and WebGL, CPU) each op costs a dispatch and an allocation,
 * and the flat update cuts the optimizer's ops from ~13 per parameter tensor to ~25 in all. On WebGPU the
 * per-variable update is kept: its concatenated copies would add 5-10x the parameters' bytes to a step's
 * peak, which the memory planner (protocol/step-memory.ts) does not count, and no GPU was at hand to time it.
 */
export function flatUpdateByDefault(): boolean {
  return tf.getBackend() !== 'webgpu';
}

export function createOptimizer(name: OptimizerName, params: TrainableParam[], options: OptimizerOptions): Optimizer {
  const flat = options.flat ?? flatUpdateByDefault();
  switch (name) {
    case 'adam':
      return new AdamW(params, options.weightDecay, flat);
    case 'sgd':
      return new SgdMomentum(params, options.weightDecay, flat);
    case 'lars':
      return new Lars(params, options.weightDecay);
  }
}

/** A zero-filled slot variable; the zeros it is made from are released (the variable keeps its own reference). */
function zerosSlot(param: TrainableParam, suffix: string): tf.Variable {
  const zeros = tf.zerosLike(param.variable);
  const slot = tf.variable(zeros, false, `${param.variable.name}/${suffix}`);
  zeros.dispose();
  return slot;
}

/** Adam with decoupled weight decay (Loshchilov & Hutter), as torch.optim.AdamW. */
class AdamW implements Optimizer {
  private readonly firstMoments: tf.Variable[];
  private readonly secondMoments: tf.Variable[];
  private readonly flat: FlatParams | null;
  private steps = 0;

  constructor(
    private readonly params: TrainableParam[],
    private readonly weightDecay: number,
    flat: boolean,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-8,
  ) {
    this.firstMoments = params.map((p) => zerosSlot(p, 'adam_m'));
    this.secondMoments = params.map((p) => zerosSlot(p, 'adam_v'));
    this.flat = flat ? new FlatParams(params) : null;
  }

  apply(grads: readonly tf.Tensor[], learningRate: number): void {
    this.steps += 1;
    const t = this.steps;
    const bias1 = 1 - this.beta1 ** t;
    const bias2 = 1 - this.beta2 ** t;
    if (this.flat) {
      this.applyFlat(this.flat, grads, learningRate, bias1, bias2);
      return;
    }
    tf.tidy(() => {
      this.params.forEach((param, i) => {
        const g = grads[i]!;
        const m = this.firstMoments[i]!;
        const v = this.secondMoments[i]!;
        const newM = tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1));
        const newV = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        m.assign(newM);
        v.assign(newV);
        const denominator = tf.add(tf.sqrt(tf.div(newV, bias2)), this.epsilon);
        let update = tf.div(tf.div(newM, bias1), denominator);
        if (param.decay && this.weightDecay > 0) update = tf.add(update, tf.mul(param.variable, this.weightDecay));
        param.variable.assign(tf.sub(param.variable, tf.mul(update, learningRate)));
      });
    });
  }

  /** The update above on flat vectors of all parameters (flat-update.ts). */
  private applyFlat(
    flat: FlatParams,
    grads: readonly tf.Tensor[],
    learningRate: number,
    bias1: number,
    bias2: number,
  ): void {
    const decay = flat.decayVector(this.weightDecay);
    tf.tidy(() => {
      const variables = this.params.map((p) => p.variable);
      const g = flat.flatten(grads);
      const w = flat.flatten(variables);
      const newM = tf.add(tf.mul(flat.flatten(this.firstMoments), this.beta1), tf.mul(g, 1 - this.beta1));
      const newV = tf.add(tf.mul(flat.flatten(this.secondMoments), this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
      const denominator = tf.add(tf.sqrt(tf.div(newV, bias2)), this.epsilon);
      let update = tf.div(tf.div(newM, bias1), denominator);
      if (decay) update = tf.add(update, tf.mul(w, decay));
      flat.assign(newM, this.firstMoments);
      flat.assign(newV, this.secondMoments);
      flat.assign(tf.sub(w, tf.mul(update, learningRate)), variables);
    });
  }

  slots(): tf.Variable[] {
    return [...this.firstMoments, ...this.secondMoments];
  }

  stepCount(): number {
    return this.steps;
  }

  setStepCount(count: number): void {
    this.steps = count;
  }

  dispose(): void {
    for (const slot of this.slots()) slot.dispose();
    this.flat?.dispose();
  }
}

/** SGD with momentum 0.9 and L2 weight decay added to the gradient, as torch.optim.SGD. */
class SgdMomentum implements Optimizer {
  private readonly buffers: tf.Variable[];
  private readonly flat: FlatParams | null;
  private steps = 0;

  constructor(
    private readonly params: TrainableParam[],
    private readonly weightDecay: number,
    flat: boolean,
    private readonly momentum = 0.9,
  ) {
    this.buffers = params.map((p) => zerosSlot(p, 'momentum'));
    this.flat = flat ? new FlatParams(params) : null;
  }

  apply(grads: readonly tf.Tensor[], learningRate: number): void {
    this.steps += 1;
    if (this.flat) {
      this.applyFlat(this.flat, grads, learningRate);
      return;
    }
    tf.tidy(() => {
      this.params.forEach((param, i) => {
        let g = grads[i]!;
        if (param.decay && this.weightDecay > 0) g = tf.add(g, tf.mul(param.variable, this.weightDecay));
        const buffer = this.buffers[i]!;
        const newBuffer = tf.add(tf.mul(buffer, this.momentum), g);
        buffer.assign(newBuffer);
        param.variable.assign(tf.sub(param.variable, tf.mul(newBuffer, learningRate)));
      });
    });
  }

  /** The update above on flat vectors of all parameters (flat-update.ts). */
  private applyFlat(flat: FlatParams, grads: readonly tf.Tensor[], learningRate: number): void {
    const decay = flat.decayVector(this.weightDecay);
    tf.tidy(() => {
      const variables = this.params.map((p) => p.variable);
      const w = flat.flatten(variables);
      let g = flat.flatten(grads);
      if (decay) g = tf.add(g, tf.mul(w, decay));
      const newBuffer = tf.add(tf.mul(flat.flatten(this.buffers), this.momentum), g);
      flat.assign(newBuffer, this.buffers);
      flat.assign(tf.sub(w, tf.mul(newBuffer, learningRate)), variables);
    });
  }

  slots(): tf.Variable[] {
    return this.buffers;
  }

  stepCount(): number {
    return this.steps;
  }

  setStepCount(count: number): void {
    this.steps = count;
  }

  dispose(): void {
    for (const slot of this.buffers) slot.dispose();
    this.flat?.dispose();
  }
}
