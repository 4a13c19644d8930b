import * as tf from '@tensorflow/tfjs';
import type { Optimizer, TrainableParam } from './optimizers';

/**
 * LARS (You et al. 2017) as SimCLR uses it: google-research/simclr lars_optimizer.py with classic
 * momentum. Weight decay is added to the gradient, the layer-wise trust ratio
 * eta * ||w|| / ||g|| scales the learning rate, and BatchNorm parameters and biases are excluded
 * from both (`decay: false`), as the paper excludes them.
 *
 *   g <- g + wd * w                      (decayed parameters only)
 *   r <- eta * ||w|| / ||g|| if both > 0, else 1   (adapted parameters only; 1 otherwise)
 *   v <- momentum * v + lr * r * g
 *   w <- w - v
 */
export class Lars implements Optimizer {
  private readonly velocities: tf.Variable[];
  private steps = 0;

  constructor(
    private readonly params: TrainableParam[],
    private readonly weightDecay: number,
    private readonly momentum = 0.9,
    private readonly trustCoefficient = 0.001,
  ) {
    this.velocities = params.map((p) => {
      const zeros = tf.zerosLike(p.variable);
      const velocity = tf.variable(zeros, false, `${p.variable.name}/lars_v`);
      zeros.dispose();
      return velocity;
    });
  }

  apply(grads: readonly tf.Tensor[], learningRate: number): void {
    this.steps += 1;
    tf.tidy(() => {
      this.params.forEach((param, i) => {
        const w = param.variable;
        let g = grads[i]!;
        let scaledRate: tf.Tensor | number = learningRate;
        if (param.decay) {
          if (this.weightDecay > 0) g = tf.add(g, tf.mul(w, this.weightDecay));
          const wNorm = tf.norm(w);
          const gNorm = tf.norm(g);
          const ratio = tf.where(
            tf.greater(wNorm, 0),
            tf.where(tf.greater(gNorm, 0), tf.div(tf.mul(wNorm, this.trustCoefficient), gNorm), tf.onesLike(wNorm)),
            tf.onesLike(wNorm),
          );
          scaledRate = tf.mul(ratio, learningRate);
        }
        const velocity = this.velocities[i]!;
        const next = tf.add(tf.mul(velocity, this.momentum), tf.mul(g, scaledRate));
        velocity.assign(next);
        w.assign(tf.sub(w, next));
      });
    });
  }

  slots(): tf.Variable[] {
    return this.velocities;
  }

  stepCount(): number {
    return this.steps;
  }

  setStepCount(count: number): void {
    this.steps = count;
  }

  dispose(): void {
    for (const v of this.velocities) v.dispose();
  }
}
