import { describe, expect, it } from 'vitest';
import {
  describeWebGpuAdapter,
  type HardwareReport,
  hardwareKey,
  hasHardwareGpu,
  noHardwareGpuSentence,
  softwareRendererName,
  webGpuSoftware,
} from './hardware';
import { NVIDIA, SWIFTSHADER } from './hardware-fixtures';

describe('software adapters', () => {
  it('names the software rasterizers by their renderer strings', () => {
    expect(softwareRendererName('Google SwiftShader')).toBe('SwiftShader');
    expect(softwareRendererName('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe('llvmpipe');
    expect(softwareRendererName('Microsoft Basic Render Driver')).toBe('Microsoft Basic Render Driver');
    expect(softwareRendererName('ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11)')).toBe('');
  });

  it('Chromium without a GPU: WebGPU and WebGL on SwiftShader, no hardware GPU', () => {
    expect(describeWebGpuAdapter(SWIFTSHADER.webgpu!)).toBe('google swiftshader');
    expect(webGpuSoftware(SWIFTSHADER.webgpu)).toBe('SwiftShader');
    expect(hasHardwareGpu(SWIFTSHADER)).toBe(false);
    expect(noHardwareGpuSentence(SWIFTSHADER)).toBe(
      'No hardware GPU found: WebGPU here is SwiftShader, a software emulation on the CPU; WebGL is SwiftShader too. Training runs on the CPU whichever backend is used.',
    );
  });

  it('a fallback adapter is software even when its name says nothing', () => {
    const report: HardwareReport = {
      ...SWIFTSHADER,
      webgpu: { vendor: 'acme', architecture: '', device: '', description: '', isFallbackAdapter: true },
      webgl: null,
      webglProblem: 'no WebGL2 context',
    };
    expect(webGpuSoftware(report.webgpu)).toBe('a fallback (software) adapter');
    expect(hasHardwareGpu(report)).toBe(false);
    expect(noHardwareGpuSentence(report)).toMatch(
      /^No hardware GPU found: WebGPU here is a fallback \(software\) adapter/,
    );
  });

  it('a real GPU is hardware and gets no sentence', () => {
    expect(hasHardwareGpu(NVIDIA)).toBe(true);
    expect(noHardwareGpuSentence(NVIDIA)).toBe('');
  });

  it('no WebGPU and no WebGL: no hardware GPU', () => {
    const report: HardwareReport = { webgpu: null, webgpuProblem: 'x', webgl: null, webglProblem: 'y', cores: 4 };
    expect(hasHardwareGpu(report)).toBe(false);
    expect(noHardwareGpuSentence(report)).toMatch(/WebGPU is not available/);
  });

  it('the hardware key changes with the GPU and the core count, not otherwise', () => {
    expect(hardwareKey(SWIFTSHADER)).toBe(hardwareKey(structuredClone(SWIFTSHADER)));
    expect(hardwareKey(SWIFTSHADER)).not.toBe(hardwareKey(NVIDIA));
    expect(hardwareKey(SWIFTSHADER)).not.toBe(hardwareKey({ ...SWIFTSHADER, cores: 4 }));
  });
});
