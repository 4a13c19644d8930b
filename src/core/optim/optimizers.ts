import * as tf from '@tensorflow/tfjs';
import type { OptimizerName } from '../../protocol/config';
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
}

export function createOptimizer(name: OptimizerName, params: TrainableParam[], options: OptimizerOptions): Optimizer {
  switch (name) {
    case 'adam':
      return new AdamW(params, options.weightDecay);
    case 'sgd':
      return new SgdMomentum(params, options.weightDecay);
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
  private steps = 0;

  constructor(
    private readonly params: TrainableParam[],
    private readonly weightDecay: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-8,
  ) {
    this.firstMoments = params.map((p) => zerosSlot(p, 'adam_m'));
    this.secondMoments = params.map((p) => zerosSlot(p, 'adam_v'));
  }

  apply(grads: readonly tf.Tensor[], learningRate: number): void {
    this.steps += 1;
    const t = this.steps;
    const bias1 = 1 - this.beta1 ** t;
    const bias2 = 1 - this.beta2 ** t;
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
  }
}

/** SGD with momentum 0.9 and L2 weight decay added to the gradient, as torch.optim.SGD. */
class SgdMomentum implements Optimizer {
  private readonly buffers: tf.Variable[];
  private steps = 0;

  constructor(
    private readonly params: TrainableParam[],
    private readonly weightDecay: number,
    private readonly momentum = 0.9,
  ) {
    this.buffers = params.map((p) => zerosSlot(p, 'momentum'));
  }

  apply(grads: readonly tf.Tensor[], learningRate: number): void {
    this.steps += 1;
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
  }
}
