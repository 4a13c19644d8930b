/**
 * What graphics hardware the browser exposes, as the worker read it at start-up: the WebGPU adapter's
 * info and its fallback flag, and WebGL's unmasked renderer. Pure functions here decide whether that is
 * a real GPU or a software emulation on the CPU (SwiftShader, llvmpipe, Microsoft Basic Render Driver),
 * and give a key that changes when the hardware does (so a remembered backend choice is re-measured).
 */

export interface WebGpuAdapterReport {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** GPUAdapter.isFallbackAdapter (or info.isFallbackAdapter): the browser's own software adapter. */
  isFallbackAdapter: boolean;
}

export interface WebGlRendererReport {
  /** UNMASKED_VENDOR_WEBGL where the browser gives it, else VENDOR. */
  vendor: string;
  /** UNMASKED_RENDERER_WEBGL where the browser gives it, else RENDERER. */
  renderer: string;
}

export interface HardwareReport {
  /** null: no WebGPU adapter; `webgpuProblem` says why. */
  webgpu: WebGpuAdapterReport | null;
  webgpuProblem: string;
  /** null: no WebGL2 context; `webglProblem` says why. */
  webgl: WebGlRendererReport | null;
  webglProblem: string;
  /** navigator.hardwareConcurrency (0 when unknown). */
  cores: number;
}

/** Renderer names of software rasterizers that run on the CPU. */
const SOFTWARE_RENDERERS: readonly [RegExp, string][] = [
  [/swiftshader/i, 'SwiftShader'],
  [/llvmpipe/i, 'llvmpipe'],
  [/lavapipe/i, 'lavapipe'],
  [/softpipe/i, 'softpipe'],
  [/microsoft basic render/i, 'Microsoft Basic Render Driver'],
  [/\bwarp\b/i, 'WARP'],
];

/** The software rasterizer a renderer string names ('' for none). */
export function softwareRendererName(text: string): string {
  return SOFTWARE_RENDERERS.find(([pattern]) => pattern.test(text))?.[1] ?? '';
}

export function describeWebGpuAdapter(adapter: WebGpuAdapterReport): string {
  const words = [adapter.vendor, adapter.architecture, adapter.device, adapter.description].filter(Boolean);
  // Drop repeats ("google" + "swiftshader" + "Google SwiftShader").
  const unique = words.filter((w, i) => !words.slice(0, i).some((o) => o.toLowerCase().includes(w.toLowerCase())));
  return unique.join(' ') || 'unnamed adapter';
}

/** What emulates WebGPU in software ('' when the adapter looks like hardware). */
export function webGpuSoftware(adapter: WebGpuAdapterReport | null): string {
  if (!adapter) return '';
  const named = softwareRendererName(describeWebGpuAdapter(adapter));
  if (named) return named;
  return adapter.isFallbackAdapter ? 'a fallback (software) adapter' : '';
}

export function webGlSoftware(renderer: WebGlRendererReport | null): string {
  return renderer ? softwareRendererName(`${renderer.vendor} ${renderer.renderer}`) : '';
}

/** Whether WebGPU or WebGL reaches a real GPU. */
export function hasHardwareGpu(report: HardwareReport): boolean {
  return (
    (report.webgpu !== null && !webGpuSoftware(report.webgpu)) ||
    (report.webgl !== null && !webGlSoftware(report.webgl))
  );
}

/** Changes when the GPU, its driver's name or the core count changes. */
export function hardwareKey(report: HardwareReport): string {
  const gpu = report.webgpu
    ? `${describeWebGpuAdapter(report.webgpu)}${report.webgpu.isFallbackAdapter ? ' (fallback)' : ''}`
    : 'none';
  const gl = report.webgl ? `${report.webgl.vendor} ${report.webgl.renderer}` : 'none';
  return `webgpu=${gpu}|webgl=${gl}|cores=${report.cores}`;
}

/**
 * One plain sentence when no hardware GPU was found ('' otherwise): what WebGPU and WebGL are here, and
 * that training then runs on the CPU.
 */
export function noHardwareGpuSentence(report: HardwareReport): string {
  if (hasHardwareGpu(report)) return '';
  const parts: string[] = [];
  const gpuSoftware = webGpuSoftware(report.webgpu);
  if (report.webgpu) parts.push(`WebGPU here is ${gpuSoftware}, a software emulation on the CPU`);
  else parts.push('WebGPU is not available');
  const glSoftware = webGlSoftware(report.webgl);
  if (report.webgl) parts.push(`WebGL is ${glSoftware || 'software'} too`);
  return `No hardware GPU found: ${parts.join('; ')}. Training runs on the CPU whichever backend is used.`;
}
