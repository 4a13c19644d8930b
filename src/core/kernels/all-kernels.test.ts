import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWasmConv2dFilterGrad } from '../backend/conv2d-grad-in-ops';
import { defineAllCustomKernels, definedCustomKernels, enabledCustomKernels, selectKernels } from '.';

/** The kernel function tfjs runs now for `kernelName` on `backend`. */
const current = (kernelName: string, backend: string) => tf.getKernel(kernelName, backend)?.kernelFunc;

describe('every kernel of ours goes through the registry', () => {
  let stockInputGrad: tf.KernelFunc | undefined;
  beforeAll(async () => {
    await tf.setBackend('wasm');
    // What the app does when wasm starts (core/backend/select-backend.ts), before selectKernels.
    registerWasmConv2dFilterGrad();
    stockInputGrad = current('Conv2DBackpropInput', 'wasm');
    defineAllCustomKernels();
  });
  afterAll(async () => {
    selectKernels('stock', 'wasm');
    await tf.setBackend('cpu');
  });

  it("'custom' replaces wasm's input gradient and 'stock' (?kernels=stock) puts tfjs's own back", () => {
    expect(stockInputGrad).toBeDefined();
    const on = selectKernels('custom', 'wasm');
    expect(on).toContain('wasm-conv2d-input-grad');
    expect(current('Conv2DBackpropInput', 'wasm')).not.toBe(stockInputGrad);
    expect(selectKernels('stock', 'wasm')).toEqual([]);
    expect(current('Conv2DBackpropInput', 'wasm')).toBe(stockInputGrad);
  });

  it("with 'stock', no stock kernel of any backend is left replaced", () => {
    const before = new Map<string, tf.KernelFunc | undefined>();
    const kernels = definedCustomKernels();
    for (const k of kernels)
      for (const o of k.overrides) before.set(`${o.backendName}/${o.kernelName}`, current(o.kernelName, o.backendName));
    for (const backend of new Set(kernels.map((k) => k.backendName))) {
      selectKernels('custom', backend);
      selectKernels('stock', backend);
    }
    expect(enabledCustomKernels()).toEqual([]);
    for (const k of kernels)
      for (const o of k.overrides) {
        expect(current(o.kernelName, o.backendName), `${k.id}: ${o.backendName}/${o.kernelName}`).toBe(
          before.get(`${o.backendName}/${o.kernelName}`),
        );
        expect(current(o.kernelName, o.backendName)).not.toBe(o.kernelFunc);
      }
  });

  it("the fused ops' kernels exist only while switched on: 'stock' leaves none of ours registered", () => {
    const kernels = definedCustomKernels();
    const ops = kernels.flatMap((k) => (k.ops ?? []).map((o) => ({ id: k.id, ...o })));
    expect(ops.map((o) => o.id)).toEqual(expect.arrayContaining(['nt-xent', 'batchnorm-relu']));
    for (const backend of new Set(kernels.map((k) => k.backendName))) {
      selectKernels('custom', backend);
      for (const o of ops.filter((op) => op.backendName === backend))
        expect(current(o.kernelName, o.backendName), `${o.id}: ${o.kernelName} on`).toBe(o.kernelFunc);
      selectKernels('stock', backend);
    }
    for (const o of ops)
      expect(tf.getKernel(o.kernelName, o.backendName), `${o.id}: ${o.kernelName} off`).toBeUndefined();
  });

  it('nothing outside the registry registers a kernel', () => {
    const files = import.meta.glob(['../**/*.ts', '!../**/*.test.ts', '!./registry.ts'], {
      query: '?raw',
      import: 'default',
      eager: true,
    }) as Record<string, string>;
    expect(Object.keys(files).length).toBeGreaterThan(20);
    // Not replacements of a tfjs kernel, so not switched by ?kernels=: the wasm filter gradient fills one
    // tfjs-backend-wasm lacks (wasm cannot train without it); the fused augmentation is how the WebGPU
    // augmenter reads the GPU-resident uint8 data set (core/augment/batch-augmenter.ts chooses it by backend).
    const allowed = new Set(['../backend/conv2d-grad-in-ops.ts', '../augment/webgpu/fused-augment.ts']);
    const registering = Object.entries(files)
      .filter(([path, text]) => /\bregisterKernel\(/.test(text) && !allowed.has(path))
      .map(([path]) => path);
    expect(registering).toEqual([]);
  });
});
