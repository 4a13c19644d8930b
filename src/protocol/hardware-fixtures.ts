/** Hardware reports and comparisons as real browsers give them, for tests (no logic here). */
import type { BackendComparison, BackendDecision } from './backend-comparison';
import type { HardwareReport } from './hardware';

/** Chromium on a machine without a GPU: WebGPU and WebGL both on SwiftShader. */
export const SWIFTSHADER: HardwareReport = {
  webgpu: { vendor: 'google', architecture: 'swiftshader', device: '', description: '', isFallbackAdapter: false },
  webgpuProblem: '',
  webgl: {
    vendor: 'Google Inc. (Google)',
    renderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
  },
  webglProblem: '',
  cores: 2,
};

/** A laptop with a discrete GPU. */
export const NVIDIA: HardwareReport = {
  webgpu: { vendor: 'nvidia', architecture: 'ampere', device: '', description: '', isFallbackAdapter: false },
  webgpuProblem: '',
  webgl: {
    vendor: 'Google Inc. (NVIDIA)',
    renderer: 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Laptop GPU Direct3D11 vs_5_0 ps_5_0, D3D11)',
  },
  webglProblem: '',
  cores: 8,
};

/** The figures of issue 12: wasm 0.25 s, WebGL 2.4 s, WebGPU 5.6 s per step. */
export const ISSUE_12_COMPARISON: BackendComparison = {
  workload: 'resnet-small ×0.25, 24 px, batch 32',
  timings: [
    { backend: 'wasm', outcome: 'measured', msPerStep: 250, firstStepMs: 900, timedSteps: 2 },
    { backend: 'webgl', outcome: 'measured', msPerStep: 2400, firstStepMs: 9000, timedSteps: 1 },
    { backend: 'webgpu', outcome: 'measured', msPerStep: 5600, firstStepMs: 30_000, timedSteps: 1 },
  ],
  fastest: 'wasm',
  measuredAt: '2026-12-04T00:30:00.000Z',
};

export const MEASURED_ON_SWIFTSHADER: BackendDecision = {
  source: 'measured',
  rememberedPick: false,
  requested: null,
  hardware: SWIFTSHADER,
  comparison: ISSUE_12_COMPARISON,
};
