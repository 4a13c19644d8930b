import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { cosineSimilarityMatrix, l2Normalize, ntXentLoss, positivePairMask } from './nt-xent';
import reference from './nt-xent.reference.json';

// Expected values come from src/core/loss/reference/nt_xent_reference.py (PyTorch, float64, lightly's formulation).

interface ReferenceCase {
  name: string;
  n: number;
  dim: number;
  temperature: number;
  z1: number[][];
  z2: number[][];
  loss: number;
  grad_z1: number[][];
  grad_z2: number[][];
}

const cases: ReferenceCase[] = reference.cases;

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

function expectClose2D(actual: number[][], expected: number[][], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => {
    const expectedRow = expected[i]!;
    expect(row.length).toBe(expectedRow.length);
    row.forEach((value, j) => {
      const diff = Math.abs(value - expectedRow[j]!);
      if (!(diff <= tolerance)) {
        throw new Error(`[${i}][${j}]: got ${value}, expected ${expectedRow[j]} (|diff| ${diff} > ${tolerance})`);
      }
    });
  });
}

function allFinite(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) return false;
  }
  return true;
}

describe('ntXentLoss against the PyTorch reference', () => {
  it('has the expected reference cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(7);
    expect(cases.map((c) => c.name)).toContain('all-equal');
  });

  for (const c of cases) {
    describe(c.name, () => {
      it('loss matches within 1e-5 relative', async () => {
        const z1 = tf.tensor2d(c.z1);
        const z2 = tf.tensor2d(c.z2);
        expect(z1.shape).toEqual([c.n, c.dim]);
        const loss = ntXentLoss(z1, z2, c.temperature);
        const value = (await loss.data())[0]!;
        tf.dispose([z1, z2, loss]);
        expect(Math.abs(value - c.loss) / Math.abs(c.loss)).toBeLessThan(1e-5);
      });

      it('gradients match within 1e-4 absolute', async () => {
        const z1 = tf.tensor2d(c.z1);
        const z2 = tf.tensor2d(c.z2);
        const gradFn = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          ntXentLoss(a as tf.Tensor2D, b as tf.Tensor2D, c.temperature),
        );
        const [g1, g2] = gradFn([z1, z2]);
        const grad1 = (await g1!.array()) as number[][];
        const grad2 = (await g2!.array()) as number[][];
        tf.dispose([z1, z2, g1!, g2!]);
        expectClose2D(grad1, c.grad_z1, 1e-4);
        expectClose2D(grad2, c.grad_z2, 1e-4);
      });
    });
  }
});

describe('ntXentLoss properties', () => {
  it('equals log(2N - 1) when all views are the same vector', async () => {
    const c = cases.find((x) => x.name === 'all-equal')!;
    const loss = tf.tidy(() => ntXentLoss(tf.tensor2d(c.z1), tf.tensor2d(c.z2), c.temperature));
    const value = (await loss.data())[0]!;
    loss.dispose();
    // Every logit is 1/t, so each anchor's softmax is uniform over its 2N - 1 other views.
    const expected = Math.log(2 * c.n - 1);
    expect(Math.abs(value - expected) / expected).toBeLessThan(1e-5);
  });

  it('is still log(2N - 1) for identical views at another size and temperature', async () => {
    const n = 10;
    const loss = tf.tidy(() => {
      const z = tf.ones([n, 7]) as tf.Tensor2D;
      return ntXentLoss(z, z, 0.07);
    });
    const value = (await loss.data())[0]!;
    loss.dispose();
    expect(Math.abs(value - Math.log(2 * n - 1)) / Math.log(2 * n - 1)).toBeLessThan(1e-5);
  });

  it('stays finite at temperature 0.05 with 1024 views of dimension 16', async () => {
    const n = 512; // 2N = 1024 views
    const inputs: [string, () => [tf.Tensor2D, tf.Tensor2D]][] = [
      ['random', () => [tf.randomNormal([n, 16], 0, 1, 'float32', 1), tf.randomNormal([n, 16], 0, 1, 'float32', 2)]],
      [
        'identical',
        () => {
          const row = tf.randomNormal([1, 16], 0, 1, 'float32', 3) as tf.Tensor2D;
          return [tf.tile(row, [n, 1]), tf.tile(row, [n, 1])];
        },
      ],
    ];
    for (const [label, make] of inputs) {
      const [z1, z2] = tf.tidy(make);
      const gradFn = tf.valueAndGrads((a: tf.Tensor, b: tf.Tensor) =>
        ntXentLoss(a as tf.Tensor2D, b as tf.Tensor2D, 0.05),
      );
      const { value, grads } = gradFn([z1, z2]);
      const loss = (await value.data())[0]!;
      const g1 = await grads[0]!.data();
      const g2 = await grads[1]!.data();
      tf.dispose([z1, z2, value, ...grads]);
      expect(Number.isFinite(loss), `${label}: loss ${loss}`).toBe(true);
      expect(allFinite(g1) && allFinite(g2), `${label}: gradients`).toBe(true);
      if (label === 'identical') {
        expect(Math.abs(loss - Math.log(2 * n - 1)) / Math.log(2 * n - 1)).toBeLessThan(1e-4);
      }
    }
  });

  it('does not leak tensors', async () => {
    const z1 = tf.randomNormal([8, 4], 0, 1, 'float32', 4) as tf.Tensor2D;
    const z2 = tf.randomNormal([8, 4], 0, 1, 'float32', 5) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    const loss = ntXentLoss(z1, z2, 0.5);
    expect(tf.memory().numTensors).toBe(before + 1); // only the returned scalar
    await loss.data();
    loss.dispose();
    expect(tf.memory().numTensors).toBe(before);

    // The helpers leave only their result behind too.
    for (const make of [() => positivePairMask(4), () => cosineSimilarityMatrix(z1), () => l2Normalize(z1)]) {
      const result = make();
      expect(tf.memory().numTensors).toBe(before + 1);
      result.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([z1, z2]);
  });
});

describe('positivePairMask', () => {
  it('pairs row i with row i + N and nothing else', async () => {
    for (const n of [1, 2, 3, 8]) {
      const mask = positivePairMask(n);
      expect(mask.shape).toEqual([2 * n, 2 * n]);
      const values = (await mask.array()) as number[][];
      mask.dispose();
      for (let i = 0; i < 2 * n; i++) {
        for (let j = 0; j < 2 * n; j++) {
          const isPositive = j === (i + n) % (2 * n);
          expect(values[i]![j], `n=${n} [${i}][${j}]`).toBe(isPositive ? 1 : 0);
        }
      }
    }
  });
});

describe('helpers', () => {
  it('l2Normalize gives unit rows and leaves zero rows at zero', async () => {
    const z = tf.tensor2d([
      [3, 4],
      [0, 0],
      [-1, 1],
    ]);
    const normalized = l2Normalize(z);
    const values = (await normalized.array()) as number[][];
    tf.dispose([z, normalized]);
    expectClose2D(
      values,
      [
        [0.6, 0.8],
        [0, 0],
        [-Math.SQRT1_2, Math.SQRT1_2],
      ],
      1e-6,
    );
  });

  it('cosineSimilarityMatrix has ones on the diagonal and is symmetric', async () => {
    const z = tf.tensor2d([
      [1, 0],
      [1, 1],
      [0, -2],
    ]);
    const sim = cosineSimilarityMatrix(z);
    const values = (await sim.array()) as number[][];
    tf.dispose([z, sim]);
    const s = Math.SQRT1_2;
    expectClose2D(
      values,
      [
        [1, s, 0],
        [s, 1, -s],
        [0, -s, 1],
      ],
      1e-6,
    );
  });
});
