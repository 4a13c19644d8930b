/// <reference lib="webworker" />
/**
 * Reads what graphics hardware the browser exposes (protocol/hardware.ts judges it): the WebGPU adapter's
 * info and fallback flag, and WebGL2's renderer through an OffscreenCanvas. Never throws: what cannot be
 * read is reported with the reason.
 */
import type { HardwareReport, WebGlRendererReport, WebGpuAdapterReport } from '../protocol/hardware';

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

async function readWebGpu(): Promise<{ adapter: WebGpuAdapterReport | null; problem: string }> {
  const gpu = (globalThis.navigator as (Navigator & { gpu?: GPU }) | undefined)?.gpu;
  if (!gpu) return { adapter: null, problem: 'this browser has no WebGPU (navigator.gpu is missing)' };
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { adapter: null, problem: 'no WebGPU adapter (the GPU is blocklisted, disabled, or absent)' };
    const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
    // Older Chromium has the flag on the adapter, newer on its info.
    const fallback = (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter;
    return {
      adapter: {
        vendor: info.vendor ?? '',
        architecture: info.architecture ?? '',
        device: info.device ?? '',
        description: info.description ?? '',
        isFallbackAdapter: Boolean(info.isFallbackAdapter ?? fallback),
      },
      problem: '',
    };
  } catch (error) {
    return { adapter: null, problem: message(error) };
  }
}

function readWebGl(): { renderer: WebGlRendererReport | null; problem: string } {
  if (typeof OffscreenCanvas === 'undefined') return { renderer: null, problem: 'no OffscreenCanvas in this worker' };
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (!gl) return { renderer: null, problem: 'no WebGL2 context' };
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer: WebGlRendererReport = {
      vendor: String(gl.getParameter(debug ? debug.UNMASKED_VENDOR_WEBGL : gl.VENDOR) ?? ''),
      renderer: String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? ''),
    };
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return { renderer, problem: '' };
  } catch (error) {
    return { renderer: null, problem: message(error) };
  }
}

export async function readHardware(): Promise<HardwareReport> {
  const webgpu = await readWebGpu();
  const webgl = readWebGl();
  return {
    webgpu: webgpu.adapter,
    webgpuProblem: webgpu.problem,
    webgl: webgl.renderer,
    webglProblem: webgl.problem,
    cores: globalThis.navigator?.hardwareConcurrency ?? 0,
  };
}
