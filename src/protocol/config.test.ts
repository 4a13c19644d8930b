import { describe, expect, it } from 'vitest';
import {
  CONFIG_LIMITS,
  chunkProblem,
  DEFAULT_TRAIN_CONFIG,
  largestDivisorUpTo,
  stepsPerEpoch,
  totalSteps,
  validateConfig,
  withConfigDefaults,
} from './config';

const config = { ...DEFAULT_TRAIN_CONFIG, batchSize: 64, duration: { unit: 'steps' as const, value: 10 } };

describe('chunk validation', () => {
  it('accepts auto and any divisor of the batch from 2 up to the batch', () => {
    for (const chunkSize of [null, 2, 4, 8, 16, 32, 64])
      expect(validateConfig({ ...config, chunkSize }, 600)).toEqual([]);
  });

  it('refuses a chunk that does not divide the batch, naming a divisor below it', () => {
    expect(validateConfig({ ...config, chunkSize: 24 }, 600)).toEqual([
      'Chunk (24) does not divide the batch (64): use a divisor such as 16.',
    ]);
    expect(chunkProblem(64, 100)).toMatch(/such as 50\./);
  });

  it('refuses a chunk of one image (BatchNorm over two views), zero, a fraction and text', () => {
    for (const chunkSize of [1, 0, -4, 2.5, Number.NaN]) {
      const problems = validateConfig({ ...config, chunkSize }, 600);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^Chunk must be auto or a whole number of at least 2 images/);
    }
  });

  it('refuses a chunk larger than the batch', () => {
    expect(validateConfig({ ...config, chunkSize: 128 }, 600)).toEqual([
      'Chunk (128) is larger than the batch (64): lower it or set it to auto.',
    ]);
  });

  it('says nothing about the chunk while the batch itself is wrong (that message comes first)', () => {
    expect(validateConfig({ ...config, batchSize: 1, chunkSize: 3 }, 600)).toEqual([
      'Batch size must be a whole number of at least 2.',
    ]);
  });

  it('finds the largest divisor of at least 2 within a limit', () => {
    expect([
      largestDivisorUpTo(64, 40),
      largestDivisorUpTo(96, 40),
      largestDivisorUpTo(7, 6),
      largestDivisorUpTo(64, 1),
    ]).toEqual([32, 32, 0, 0]);
  });
});

describe('withConfigDefaults', () => {
  it('gives a config saved without chunkSize auto chunks and keeps a set one', () => {
    const { chunkSize: _absent, ...older } = config;
    expect(withConfigDefaults(older as typeof config).chunkSize).toBeNull();
    expect(withConfigDefaults({ ...config, chunkSize: 16 }).chunkSize).toBe(16);
  });
});

describe('steps per epoch and the size limits', () => {
  it('drops the last incomplete batch, and a batch below 1 has no steps', () => {
    expect(stepsPerEpoch(600, 128)).toBe(4);
    expect(stepsPerEpoch(512, 128)).toBe(4);
    expect(stepsPerEpoch(10, 0)).toBe(0);
    expect(totalSteps({ batchSize: 128, duration: { unit: 'epochs', value: 3 } }, 600)).toBe(12);
  });

  it('validation refuses exactly what CONFIG_LIMITS excludes', () => {
    const problems = (over: Partial<typeof DEFAULT_TRAIN_CONFIG>) =>
      validateConfig({ ...DEFAULT_TRAIN_CONFIG, ...over }, 1000);
    const { batchSize, imageSize } = CONFIG_LIMITS;
    expect(problems({ batchSize: batchSize.min })).toEqual([]);
    expect(problems({ batchSize: batchSize.min - 1 }).join()).toMatch(/Batch size/);
    expect(problems({ imageSize: imageSize.min })).toEqual([]);
    expect(problems({ imageSize: imageSize.max })).toEqual([]);
    expect(problems({ imageSize: imageSize.min - 1 }).join()).toMatch(/Image size/);
    expect(problems({ imageSize: imageSize.max + 1 }).join()).toMatch(/Image size/);
  });
});
