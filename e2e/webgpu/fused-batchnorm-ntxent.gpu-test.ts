import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  batchNormReluReferenceBackward,
  batchNormReluReferenceForward,
} from '../../src/core/kernels/batchnorm-relu-reference';
import { defineAllCustomKernels, selectKernels } from '../../src/core/kernels/index';
import { ntXentReference } from '../../src/core/kernels/nt-xent-reference';
import { randomBatchNormReluCase, uniformValues } from '../../src/core/kernels/test-fixtures';
import { BATCHNORM_RELU_ID, fusedBatchNormRelu } from '../../src/core/kernels/webgpu/batchnorm-relu';
import { fusedNtXentLoss, NT_XENT_ID } from '../../src/core/kernels/webgpu/nt-xent';
import { ntXentLoss } from '../../src/core/loss/nt-xent';
import reference from '../../src/core/loss/nt-xent.reference.json';
import { applyBatchNormRelu } from '../../src/core/model/batchnorm-relu-layers';
import { Rng } from '../../src/core/random/rng';
import { fusedConfig, runSteps } from './fused-step-fixtures';

// Fused BatchNorm+ReLU and NT-Xent kernels (src/core/kernels/webgpu) against their TypeScript references
// (themselves checked against tfjs autodiff and PyTorch in src/core/kernels/fused-reference.test.ts) and
// against stock tfjs on the same WebGPU device.

beforeAll(() => defineAllCustomKernels());
// The fused ops' kernels exist only while they are switched on (src/core/kernels/registry.ts).
beforeEach(() => {
  selectKernels([BATCHNORM_RELU_ID, NT_XENT_ID], 'webgpu');
});
afterEach(() => {
  selectKernels('stock', 'webgpu');
});

/** max |a - b| / (1 + |b|): absolute for small values, relative for large ones. */
function worstError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / (1 + Math.abs(b[i]!)));
  return worst;
}

describe('fused BatchNorm+ReLU vs the reference (Dawn WebGPU)', () => {
  // [shape, relu, residual]: C < 16 and C = 20 leave part of a workgroup's channels idle; M = 2048 spans
  // 16 chunks of the two-level reduction; the offset mean 3 tests the numerically stable variance.
  const cases: Array<[number[], boolean, boolean]> = [
    [[4, 6, 6, 12], true, false],
    [[8, 16, 16, 20], true, true],
    [[2, 5, 5, 7], false, true],
    [[16, 33], true, false],
    [[8, 16, 16, 20], false, false],
  ];
  it.each(cases)(
    'shape %j relu %s residual %s: y, mean, variance, dx, dgamma, dbeta, dresidual',
    async (shape, relu, withResidual) => {
      const rng = new Rng(shape.length * 7 + shape[0]!);
      const C = shape[shape.length - 1]!;
      const size = shape.reduce((a, b) => a * b, 1);
      const rows = size / C;
      const { input, dy } = randomBatchNormReluCase(rng, rows, C, { relu, residual: withResidual, xOffset: 3 });
      const expected = batchNormReluReferenceForward(input);
      const expectedGrads = batchNormReluReferenceBackward(input, dy);

      const x = tf.tensor(input.x, shape);
      const gamma = tf.tensor1d(input.gamma);
      const beta = tf.tensor1d(input.beta);
      const residual = input.residual ? tf.tensor(input.residual, shape) : tf.zeros(shape);
      const upstream = tf.tensor(dy, shape);
      const forward = fusedBatchNormRelu(x, gamma, beta, {
        epsilon: 1e-5,
        relu,
        residual: withResidual ? residual : null,
      });
      expect(forward.y.shape).toEqual(shape);
      expect(worstError(await forward.y.data(), expected.y)).toBeLessThan(1e-4);
      expect(forward.stats.shape).toEqual([2, C]);
      const stats = await forward.stats.data();
      expect(worstError(stats.subarray(0, C), expected.mean)).toBeLessThan(1e-5);
      expect(worstError(stats.subarray(C), expected.variance)).toBeLessThan(1e-5);
      tf.dispose([forward.y, forward.stats]);

      const before = tf.memory().numTensors;
      const operands = withResidual ? [x, gamma, beta, residual] : [x, gamma, beta];
      const grads = tf.grads((...args: tf.Tensor[]) => {
        const [a, g, b, r] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.Tensor | undefined];
        const out = fusedBatchNormRelu(a, g, b, { epsilon: 1e-5, relu, residual: r ?? null });
        out.stats.dispose();
        return tf.sum(tf.mul(out.y, upstream));
      })(operands);
      const [dx, dgamma, dbeta, dres] = grads;
      expect(dx!.shape).toEqual(shape);
      expect(worstError(await dx!.data(), expectedGrads.dx)).toBeLessThan(1e-4);
      expect(worstError(await dgamma!.data(), expectedGrads.dgamma)).toBeLessThan(1e-4);
      expect(worstError(await dbeta!.data(), expectedGrads.dbeta)).toBeLessThan(1e-4);
      if (withResidual) expect(worstError(await dres!.data(), expectedGrads.dresidual!)).toBeLessThan(1e-6);
      tf.dispose(grads);
      // nothing saved for the backward pass outlives it
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, gamma, beta, residual, upstream]);
    },
  );

  it('a BatchNormalization layer trained fused or stock: same outputs, gamma/beta gradients, moving statistics', async () => {
    const shape = [4, 8, 8, 24];
    const make = () => {
      const bn = tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 });
      const relu = tf.layers.reLU();
      bn.apply(tf.input({ shape: shape.slice(1) }));
      return { bn, relu };
    };
    const run = async (fused: boolean) => {
      selectKernels(fused ? ['batchnorm-relu'] : 'stock', 'webgpu');
      const { bn, relu } = make();
      const stepRng = new Rng(99);
      const outputs: Array<ArrayLike<number>> = [];
      for (let step = 0; step < 3; step++) {
        const x = tf.tensor(uniformValues(stepRng, 4 * 8 * 8 * 24, 1.5, 0.5), shape);
        const residual = tf.tensor(uniformValues(stepRng, 4 * 8 * 8 * 24), shape);
        const variables = bn.trainableWeights.map((w) => w.read() as tf.Variable);
        const { value, grads } = tf.variableGrads(() => {
          const y = applyBatchNormRelu(bn, relu, x, true, { add: tf.layers.add(), other: residual });
          return tf.sum(tf.mul(y, tf.range(0, y.size).reshape(shape).mod(7).sub(3)));
        }, variables);
        outputs.push(await value.data());
        for (const v of variables) outputs.push(await grads[v.name]!.data());
        tf.dispose([x, residual, value, ...Object.values(grads)]);
      }
      for (const w of bn.weights) outputs.push(await w.read().data());
      bn.dispose();
      return outputs;
    };
    const stock = await run(false);
    const fused = await run(true);
    expect(fused.length).toBe(stock.length);
    // 3 x (loss, dgamma, dbeta), then gamma, beta, moving mean, moving variance (updated 3 times)
    expect(fused.length).toBe(3 * 3 + 4);
    for (const [i, values] of fused.entries()) expect(worstError(values, stock[i]!)).toBeLessThan(1e-4);
    // the moving statistics moved away from their initial 0 / 1
    expect(Math.max(...Array.from(stock[11]!, Math.abs))).toBeGreaterThan(0.01);
  });
});

describe('fused NT-Xent (Dawn WebGPU)', () => {
  for (const c of reference.cases) {
    it(`${c.name}: loss and dz match the PyTorch reference`, async () => {
      const z = tf.tensor2d([...c.z1, ...c.z2]);
      const loss = fusedNtXentLoss(z, c.temperature);
      const value = (await loss.data())[0]!;
      expect(Math.abs(value - c.loss) / Math.abs(c.loss)).toBeLessThan(1e-5);
      const dz = tf.grad((a: tf.Tensor) => fusedNtXentLoss(a as tf.Tensor2D, c.temperature))(z);
      const grads = (await dz.array()) as number[][];
      const expected = [...c.grad_z1, ...c.grad_z2];
      for (const [i, row] of grads.entries()) {
        for (const [j, v] of row.entries()) expect(Math.abs(v - expected[i]![j]!)).toBeLessThan(1e-4);
      }
      tf.dispose([z, loss, dz]);
    });
  }

  it('a larger batch (2N = 96, d = 40, temperature 0.1): reference, stock tfjs and an upstream gradient of 2.5', async () => {
    const rng = new Rng(21);
    const [rows, dim, temperature] = [96, 40, 0.1];
    const data = uniformValues(rng, rows * dim);
    const expected = ntXentReference(data, rows, dim, temperature);
    const z = tf.tensor2d(data, [rows, dim]);
    const fused = fusedNtXentLoss(z, temperature);
    const [z1, z2] = tf.split(z, 2, 0) as [tf.Tensor2D, tf.Tensor2D];
    const stock = ntXentLoss(z1, z2, temperature);
    const fusedValue = (await fused.data())[0]!;
    expect(Math.abs(fusedValue - expected.loss) / expected.loss).toBeLessThan(1e-5);
    expect(Math.abs(fusedValue - (await stock.data())[0]!) / expected.loss).toBeLessThan(1e-5);
    const dz = tf.grad((a: tf.Tensor) => tf.mul(fusedNtXentLoss(a as tf.Tensor2D, temperature), 2.5))(z);
    const scaled = expected.dz.map((v) => v * 2.5);
    expect(worstError(await dz.data(), scaled)).toBeLessThan(1e-5);
    tf.dispose([z, fused, z1, z2, stock, dz]);
  });
});

describe('training steps with the fused kernels on vs off (Dawn WebGPU)', () => {
  it('give the same losses, weights, moving statistics and exported embeddings, fewer dispatches, a flat tensor count', async () => {
    const config = fusedConfig('resnet-small', 16, 4, 'v2');
    const stock = await runSteps(config, 'stock', 3);
    const fused = await runSteps(config, ['batchnorm-relu', 'nt-xent'], 3);
    console.log(
      `resnet-small/16 px/batch 4: kernels per step stock ${stock.kernels} fused ${fused.kernels}; ` +
        `dispatches stock ${stock.dispatches} fused ${fused.dispatches}; losses stock ${stock.losses} fused ${fused.losses}`,
    );
    for (const [i, loss] of stock.losses.entries()) expect(Math.abs(fused.losses[i]! - loss) / loss).toBeLessThan(2e-3);
    expect(fused.kernels).toBeLessThan(stock.kernels);
    expect(fused.dispatches).toBeLessThan(stock.dispatches);
    expect(new Set(fused.tensorCounts.slice(1)).size).toBe(1);
    // Same weights and BatchNorm moving statistics after the steps, so the exported inference model
    // (moving statistics, stock layers) gives the same embeddings.
    // the second model's layer names carry other counters: pair weights by position, names without digits
    const stockWeights = [...stock.weights];
    const fusedWeights = [...fused.weights];
    const plain = (name: string) => name.replace(/\d+/g, '');
    expect(fusedWeights.map(([name]) => plain(name))).toEqual(stockWeights.map(([name]) => plain(name)));
    let worstWeight = 0;
    let worstMoving = 0;
    for (const [i, [name, values]] of stockWeights.entries()) {
      const error = worstError(fusedWeights[i]![1], values);
      if (name.includes('moving')) worstMoving = Math.max(worstMoving, error);
      else worstWeight = Math.max(worstWeight, error);
    }
    const embeddingError = worstError(fused.embeddings, stock.embeddings);
    console.log(
      `after 3 steps: weights ${worstWeight}, moving statistics ${worstMoving}, embeddings ${embeddingError}`,
    );
    expect(stockWeights.filter(([name]) => name.includes('moving')).length).toBeGreaterThan(0);
    expect(worstMoving).toBeLessThan(1e-5);
    expect(worstWeight).toBeLessThan(1e-4);
    expect(embeddingError).toBeLessThan(1e-4);
  });
});
