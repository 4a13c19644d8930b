import { testServerPort } from './test-server';

/**
 * Chromium launch flags for the end-to-end tests.
 *
 * Measured with Debian's chromium 156 (headless, no GPU, as root), on http://localhost (navigator.gpu
 * only exists in secure contexts; a data: URL has no navigator.gpu at all):
 * - no WebGPU flag: navigator.gpu exists but requestAdapter() resolves to null, in the page and in a
 *   dedicated worker. WebGL2 works in both (OffscreenCanvas in the worker), via SwiftShader.
 * - `--enable-unsafe-webgpu`: requestAdapter() returns an adapter (vendor "google", architecture
 *   "swiftshader") in the page and in a dedicated worker. `--enable-features=Vulkan` is NOT needed and
 *   changes nothing.
 * - `--enable-unsafe-webgpu` wins over `--disable-features=WebGPU` (the adapter is still returned), and
 *   there is no `--disable-webgpu` switch in this build. So the fallback launch simply leaves out
 *   `--enable-unsafe-webgpu`; it also passes `--disable-features=WebGPU` so that a machine with a real,
 *   allow-listed GPU (where Chromium may expose WebGPU without the unsafe flag) still falls back.
 */

/** Flags every launch gets. `--no-sandbox` is required when Chromium runs as root (CI containers). */
export const BASE_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** WebGPU available (SwiftShader's CPU emulation where there is no GPU; very slow but correct). */
export const WEBGPU_ARGS: readonly string[] = [...BASE_ARGS, '--enable-unsafe-webgpu'];

/** WebGPU unavailable: requestAdapter() resolves to null, so the app must fall back to webgl or wasm. */
export const NO_WEBGPU_ARGS: readonly string[] = [...BASE_ARGS, '--disable-features=WebGPU'];

/** The app server this run started itself (e2e/support/test-server.ts). */
export const BASE_URL = `http://localhost:${testServerPort()}`;
