import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import reference from '../loss/nt-xent.reference.json';
import { Rng } from '../random/rng';
import { maxAbsDiff } from '../testing/max-abs-diff';
import { batchNormReluReferenceBackward, batchNormReluReferenceForward } from './batchnorm-relu-reference';
import { ntXentReference } from './nt-xent-reference';
import { randomBatchNormReluCase } from './test-fixtures';

// The TypeScript references of the fused WebGPU kernels, checked here against independent computations
// (tfjs's stock ops with autodiff on the CPU backend; PyTorch values); e2e/webgpu/fused-batchnorm-ntxent
// .gpu-test.ts then checks the kernels against these references.

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('BatchNorm+ReLU reference against tfjs stock ops (CPU autodiff)', () => {
  for (const [relu, withResidual] of [
    [true, false],
    [true, true],
    [false, true],
    [false, false],
  ] as const) {
    it(`relu ${relu}, residual ${withResidual}`, () => {
      const rng = new Rng(relu ? 3 : 5);
      const [rows, C] = [24, 5];
      const { input, dy } = randomBatchNormReluCase(rng, rows, C, { relu, residual: withResidual, xOffset: 0.7 });
      const { x, gamma, beta, residual } = input;
      const forward = batchNormReluReferenceForward(input);
      const grads = batchNormReluReferenceBackward(input, dy);

      const stock = (xs: tf.Tensor, g: tf.Tensor, b: tf.Tensor, r: tf.Tensor) => {
        const { mean, variance } = tf.moments(xs, [0]);
        let y = tf.batchNorm(xs, mean, variance, b as tf.Tensor1D, g as tf.Tensor1D, 1e-5);
        // without a residual r still enters (times 0) so tf.grads sees every input
        y = tf.add(y, withResidual ? r : tf.mul(r, 0));
        return relu ? tf.relu(y) : y;
      };
      const tensors = [
        tf.tensor2d(x, [rows, C]),
        tf.tensor1d(gamma),
        tf.tensor1d(beta),
        tf.tensor2d(residual ?? new Float32Array(rows * C), [rows, C]),
      ] as const;
      const y = stock(...tensors);
      const { mean, variance } = tf.moments(tensors[0], [0]);
      const gradFn = tf.grads((a, b, c, d) => tf.sum(tf.mul(stock(a!, b!, c!, d!), tf.tensor2d(dy, [rows, C]))));
      const [dx, dgamma, dbeta, dres] = gradFn([...tensors]);
      expect(maxAbsDiff(forward.y, y.dataSync())).toBeLessThan(1e-5);
      expect(maxAbsDiff(forward.mean, mean.dataSync())).toBeLessThan(1e-5);
      expect(maxAbsDiff(forward.variance, variance.dataSync())).toBeLessThan(1e-5);
      expect(maxAbsDiff(grads.dx, dx!.dataSync())).toBeLessThan(1e-4);
      expect(maxAbsDiff(grads.dgamma, dgamma!.dataSync())).toBeLessThan(1e-4);
      expect(maxAbsDiff(grads.dbeta, dbeta!.dataSync())).toBeLessThan(1e-4);
      if (grads.dresidual) expect(maxAbsDiff(grads.dresidual, dres!.dataSync())).toBeLessThan(1e-6);
      else expect(withResidual).toBe(false);
      // the ReLU really clips something in the relu cases, so the mask is exercised
      if (relu) expect(forward.y.some((v) => v === 0)).toBe(true);
      tf.dispose([...tensors, y, mean, variance, dx!, dgamma!, dbeta!, dres!]);
    });
  }
});

describe('NT-Xent reference against the PyTorch values (loss/nt-xent.reference.json)', () => {
  for (const c of reference.cases) {
    it(c.name, () => {
      const z = [...c.z1, ...c.z2].flat();
      const { loss, dz } = ntXentReference(z, 2 * c.n, c.dim, c.temperature);
      expect(Math.abs(loss - c.loss) / Math.abs(c.loss)).toBeLessThan(1e-6);
      expect(maxAbsDiff(dz, [...c.grad_z1, ...c.grad_z2].flat())).toBeLessThan(1e-6);
    });
  }
});
