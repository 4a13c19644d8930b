import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { BackendName } from '../../protocol/config';
import { type MemoryLimits, memoryLimitsFor } from '../../protocol/step-memory';

const GIB = 2 ** 30;

/**
 * The active backend's memory limits for a training step (protocol/step-memory.ts), after what a run
 * holds: weights, their gradients and two optimizer slots (4 x 4 bytes a parameter) and, on WebGPU, the
 * resident data set (at most one largest buffer binding: core/data/gpu-image-set.ts budgetFromLimits),
 * and never more than half the machine's memory as the browser reports it.
 */
export function stepMemoryLimits(paramCount: number, datasetBytes: number): MemoryLimits {
  const limits = backendLimits(paramCount, datasetBytes);
  // Chromium reports RAM in GiB, rounded and capped at 8; half of it is the most a tab should take.
  const ram = (globalThis.navigator as (Navigator & { deviceMemory?: number }) | undefined)?.deviceMemory;
  if (!ram || limits.budgetBytes <= (ram * GIB) / 2) return limits;
  return { ...limits, budgetBytes: (ram * GIB) / 2, source: `${limits.source}, and half of the ${ram} GiB of memory` };
}

function backendLimits(paramCount: number, datasetBytes: number): MemoryLimits {
  const backend = tf.getBackend() as BackendName;
  const weights = 16 * paramCount;
  if (backend === 'webgpu') {
    const limits = (tf.backend() as WebGPUBackend).device.limits;
    const maxBindingBytes = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
    return memoryLimitsFor(backend, {
      maxBindingBytes,
      residentBytes: weights + Math.min(datasetBytes, maxBindingBytes),
    });
  }
  if (backend === 'webgl') {
    return memoryLimitsFor(backend, {
      maxTextureSize: tf.env().getNumber('WEBGL_MAX_TEXTURE_SIZE'),
      residentBytes: weights,
    });
  }
  // wasm and cpu: the data set stays in JavaScript memory (the batch is uploaded each step).
  return memoryLimitsFor(backend, { residentBytes: weights });
}
