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
});
