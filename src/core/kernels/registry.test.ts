import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { defineCustomKernel, enabledCustomKernels, isCustomKernelEnabled, selectKernels } from './registry';

// A fake override of the CPU backend's Square kernel that returns x + 100 instead of x * x.
defineCustomKernel({
  id: 'test-square',
  summary: 'test override',
  backendName: 'cpu',
  overrides: [
    {
      kernelName: 'Square',
      backendName: 'cpu',
      kernelFunc: ({ inputs }) => tf.add(inputs.x as tf.Tensor, 100),
    },
  ],
});
defineCustomKernel({ id: 'test-op', summary: 'custom op, no override', backendName: 'cpu', overrides: [] });

describe('custom kernel registry', () => {
  afterEach(() => selectKernels('stock', 'cpu'));

  it('installs an override and puts the stock kernel back when switched off', async () => {
    await tf.setBackend('cpu');
    expect(Array.from(tf.square(tf.tensor1d([3])).dataSync())).toEqual([9]);
    expect(selectKernels('custom', 'cpu')).toEqual(['test-op', 'test-square']);
    expect(Array.from(tf.square(tf.tensor1d([3])).dataSync())).toEqual([103]);
    expect(selectKernels('stock', 'cpu')).toEqual([]);
    expect(Array.from(tf.square(tf.tensor1d([3])).dataSync())).toEqual([9]);
  });

  it('enables only the listed ids, and ignores kernels of other backends', () => {
    expect(selectKernels(['test-op'], 'cpu')).toEqual(['test-op']);
    expect(isCustomKernelEnabled('test-op')).toBe(true);
    expect(isCustomKernelEnabled('test-square')).toBe(false);
    selectKernels('stock', 'webgpu');
    expect(enabledCustomKernels()).toEqual(['test-op']);
  });
});
