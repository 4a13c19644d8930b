import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OptimizerName } from '../../protocol/config';
import { createOptimizer, type TrainableParam } from './optimizers';
import reference from './optimizers.reference.json';

// Expected values come from src/core/optim/reference/optimizer_reference.py (PyTorch: torch.optim.AdamW and
// SGD; LARS written in torch ops after google-research/simclr's lars_optimizer.py).
describe('optimizers against PyTorch reference updates', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(['adam', 'sgd', 'lars'] as const)(
    '%s matches for 4 steps with a changing learning rate',
    (name: OptimizerName) => {
      const params: TrainableParam[] = reference.params.map((p) => ({
        variable: tf.variable(tf.tensor(p.initial, p.shape), true, `${name}/${p.name}`),
        decay: p.decay,
      }));
      const optimizer = createOptimizer(name, params, { weightDecay: reference.weightDecay });
      const expected = reference.expected[name];
      reference.grads.forEach((stepGrads, step) => {
        const grads = stepGrads.map((g, i) => tf.tensor(g, reference.params[i]!.shape));
        optimizer.apply(grads, reference.learningRates[step]!);
        tf.dispose(grads);
        params.forEach((p, i) => {
          const actual = Array.from(p.variable.dataSync());
          const want = expected[step]![i]!;
          const maxDiff = Math.max(...actual.map((v, j) => Math.abs(v - want[j]!)));
          expect(maxDiff, `${name} step ${step + 1} ${reference.params[i]!.name}`).toBeLessThan(2e-5);
        });
      });
      expect(optimizer.stepCount()).toBe(4);
      optimizer.dispose();
      for (const p of params) p.variable.dispose();
    },
  );

  it.each(['adam', 'sgd', 'lars'] as const)('%s leaves no tensors behind once disposed', (name: OptimizerName) => {
    const variable = tf.variable(tf.ones([3, 2]), true, `leak-check-${name}`);
    const before = tf.memory().numTensors;
    const optimizer = createOptimizer(name, [{ variable, decay: true }], { weightDecay: 1e-4 });
    const grad = tf.onesLike(variable);
    optimizer.apply([grad], 0.1);
    grad.dispose();
    optimizer.dispose();
    expect(tf.memory().numTensors - before).toBe(0);
    variable.dispose();
  });

  it('LARS leaves excluded parameters without trust-ratio scaling (plain momentum SGD on them)', () => {
    const bias = tf.variable(tf.tensor1d([1, 2]), true, 'lars-check/bias');
    const optimizer = createOptimizer('lars', [{ variable: bias, decay: false }], { weightDecay: 0.5 });
    optimizer.apply([tf.tensor1d([1, 1])], 0.1);
    expect(Array.from(bias.dataSync()).map((v) => Number(v.toFixed(6)))).toEqual([0.9, 1.9]);
    optimizer.dispose();
    bias.dispose();
  });
});
