import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';

/** Watches the WebGPU device for loss; re-arm after the backend is re-created. */
export class DeviceWatch {
  lost = false;
  reason = '';
  private lostPromise: Promise<void> | null = null;

  arm(): void {
    this.lost = false;
    this.reason = '';
    this.lostPromise = null;
    if (tf.getBackend() !== 'webgpu') return;
    const device = (tf.backend() as WebGPUBackend).device;
    this.lostPromise = device.lost.then((info) => {
      this.lost = true;
      this.reason = info.message || info.reason || 'unknown reason';
    });
  }

  /**
   * Whether the device is lost, waiting up to `ms` for its `lost` promise: an error from a mapAsync or
   * a submit can arrive before the promise settles.
   */
  async settle(ms = 2_000): Promise<boolean> {
    if (this.lost || !this.lostPromise) return this.lost;
    await Promise.race([this.lostPromise, new Promise((resolve) => setTimeout(resolve, ms))]);
    return this.lost;
  }
}

/** Drops the dead WebGPU backend and starts a fresh one on a new device (same factory as at start-up). */
export async function recreateWebGpuBackend(): Promise<void> {
  const factory = tf.findBackendFactory('webgpu');
  if (!factory) throw new Error('The WebGPU backend is not registered.');
  tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', factory, 3);
  if (!(await tf.setBackend('webgpu'))) throw new Error('WebGPU could not start again on a new device.');
  await tf.ready();
}
