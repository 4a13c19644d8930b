/**
 * Vitest setup for the WebGPU kernel tests: a real WebGPU implementation in Node (Dawn, from the
 * `webgpu` package), on SwiftShader's Vulkan where the machine has no GPU. Needs libvulkan1.
 */
import * as tf from '@tensorflow/tfjs';
import { create, globals } from 'webgpu';

process.env.VK_ICD_FILENAMES ??= '/usr/lib/chromium/vk_swiftshader_icd.json';
process.env.XDG_RUNTIME_DIR ??= '/tmp';
Object.assign(globalThis, globals);
const nav = ((globalThis as { navigator?: object }).navigator ?? {}) as { gpu?: unknown };
nav.gpu = create([]);
if (!(globalThis as { navigator?: object }).navigator) Object.assign(globalThis, { navigator: nav });
// imported after navigator.gpu exists: the backend registers itself only when it finds WebGPU
await import('@tensorflow/tfjs-backend-webgpu');
const ok = await tf.setBackend('webgpu');
if (!ok || tf.getBackend() !== 'webgpu') throw new Error('WebGPU (Dawn) did not initialize: is libvulkan1 installed?');
