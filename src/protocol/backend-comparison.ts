/**
 * The backend comparison: real training steps of one small fixed config timed on every backend that
 * starts (WebGPU, WebGL, WebAssembly), the fastest chosen. Types cross the worker protocol; the pure
 * functions here pick the winner and write every sentence about speed, each naming what was measured.
 */
import type { BackendName } from './config';
import { type HardwareReport, noHardwareGpuSentence, webGlSoftware, webGpuSoftware } from './hardware';

/** Backends the comparison times; plain-JavaScript `cpu` is always slower and only a last resort. */
export const COMPARED_BACKENDS = ['wasm', 'webgl', 'webgpu'] as const satisfies readonly BackendName[];
export type ComparedBackend = (typeof COMPARED_BACKENDS)[number];

/** Steps timed after the warm-up step (which compiles shaders and is not counted). */
export const COMPARISON_TIMED_STEPS = 2;
/** A backend whose first timed step is this many times the best so far is not timed further. */
export const CLEARLY_SLOWER = 3;

export const BACKEND_LABEL: Record<BackendName, string> = {
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'wasm',
  cpu: 'plain JavaScript',
};

export type BackendTiming =
  | {
      backend: ComparedBackend;
      outcome: 'measured';
      /** Mean of the timed steps (the warm-up step excluded). */
      msPerStep: number;
      /** The warm-up step: shader compilation and first allocations. */
      firstStepMs: number;
      timedSteps: number;
    }
  | { backend: ComparedBackend; outcome: 'failed'; stage: 'start' | 'step'; message: string }
  /** The person stopped the comparison before this backend was timed. */
  | { backend: ComparedBackend; outcome: 'skipped' };

export interface BackendComparison {
  /** What one timed step trains, e.g. 'resnet-small ×0.25, 24 px, batch 32'. */
  workload: string;
  timings: BackendTiming[];
  /** The fastest measured backend; null when none could train a step. */
  fastest: ComparedBackend | null;
  /** ISO time of the measurement. */
  measuredAt: string;
}

/**
 * How the backend in use was chosen: compared just now, remembered from an earlier comparison or pick on
 * this hardware, picked by the person, forced by `?backend=` in the URL, or the only one left after the
 * comparison found none that trains.
 */
export type DecisionSource = 'measured' | 'remembered' | 'picked' | 'url' | 'fallback';

export interface BackendDecision {
  source: DecisionSource;
  /** For 'remembered': whether the remembered choice was the person's pick (not the comparison's). */
  rememberedPick: boolean;
  /** For 'url' and 'picked': the backend asked for (another runs when it could not start). */
  requested: BackendName | null;
  hardware: HardwareReport;
  comparison: BackendComparison | null;
}

/** What the UI keeps in localStorage and sends back with `init`. */
export interface RememberedBackend {
  hardwareKey: string;
  backend: BackendName;
  picked: boolean;
  comparison: BackendComparison | null;
}

export function pickFastest(timings: readonly BackendTiming[]): ComparedBackend | null {
  let best: Extract<BackendTiming, { outcome: 'measured' }> | null = null;
  for (const t of timings) if (t.outcome === 'measured' && (!best || t.msPerStep < best.msPerStep)) best = t;
  return best?.backend ?? null;
}

/** '250 ms' below a second, '2.4 s' above. */
export function formatStepTime(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** 'WebGL 2.4 s per step' or 'WebGPU: failed to start: …'. */
export function describeTiming(timing: BackendTiming): string {
  const label = BACKEND_LABEL[timing.backend];
  if (timing.outcome === 'skipped') return `${label}: not timed (comparison stopped)`;
  if (timing.outcome === 'failed') {
    return `${label}: failed ${timing.stage === 'start' ? 'to start' : 'to train a step'}: ${timing.message}`;
  }
  return `${label} ${formatStepTime(timing.msPerStep)} per step`;
}

function measuredWhen(source: DecisionSource, comparison: BackendComparison): string {
  if (source === 'measured') return 'measured on this device just now';
  const date = comparison.measuredAt.slice(0, 16).replace('T', ' ');
  return `measured on this device on ${date} UTC`;
}

/** One line of the comparison: 'wasm 250 ms per step vs WebGL 2.4 s, WebGPU 5.6 s (…measured…)'. */
export function describeComparison(comparison: BackendComparison, source: DecisionSource): string {
  const first = comparison.timings.find((t) => t.outcome === 'measured' && t.backend === comparison.fastest);
  const others = comparison.timings.filter((t) => t !== first);
  const head = first ? describeTiming(first) : 'No backend could train a step';
  const rest = others.map((t) =>
    t.outcome === 'measured' ? `${BACKEND_LABEL[t.backend]} ${formatStepTime(t.msPerStep)}` : describeTiming(t),
  );
  return `${head}${rest.length > 0 ? ` vs ${rest.join(', ')}` : ''} (${comparison.workload}, warm-up step not counted; ${measuredWhen(source, comparison)}).`;
}

/** The sentence that says which backend runs and why. */
export function describeChoice(backend: BackendName, decision: BackendDecision): string {
  const label = BACKEND_LABEL[backend];
  const c = decision.comparison;
  switch (decision.source) {
    case 'url':
      if (decision.requested && decision.requested !== backend) {
        return `The address asks for ?backend=${decision.requested}, which did not start (the line above says why); ${label} runs instead, not compared with the others.`;
      }
      return `${label}, as the address asks (?backend=${backend}); not compared with the others.`;
    case 'picked':
      if (decision.requested && decision.requested !== backend) {
        return `You picked ${BACKEND_LABEL[decision.requested]}, which did not start (the line above says why); ${label} runs instead.`;
      }
      return c
        ? `${label}, as you picked. ${describeComparison(c, 'remembered')}`
        : `${label}, as you picked (not measured).`;
    case 'remembered':
      if (decision.rememberedPick) {
        return `${label}, as you picked earlier on this device.${c ? ` ${describeComparison(c, 'remembered')}` : ''}`;
      }
      return c
        ? `Chosen earlier as the fastest: ${describeComparison(c, 'remembered')}`
        : `${label}, remembered from an earlier run.`;
    case 'measured':
      return c ? `Chosen as the fastest: ${describeComparison(c, 'measured')}` : `${label} chosen.`;
    case 'fallback':
      return `${label}: no other backend could train a step${c ? ` (${c.timings.map(describeTiming).join('; ')})` : ''}. Its speed was not measured.`;
  }
}

/**
 * Plain words when no hardware GPU was found ('' when one was): what the emulation is, that training
 * runs on the CPU, and what that means, in figures from the comparison when there are any.
 */
export function describeNoGpu(backend: BackendName, decision: BackendDecision): string {
  const base = noHardwareGpuSentence(decision.hardware);
  if (!base) return '';
  const timing = decision.comparison?.timings.find((t) => t.backend === backend && t.outcome === 'measured');
  const speed =
    timing && timing.outcome === 'measured'
      ? ` ${BACKEND_LABEL[backend]} measured ${formatStepTime(timing.msPerStep)} per step of ${decision.comparison?.workload}.`
      : '';
  const meaning =
    ' That means CPU speed: small models and images train at a usable pace, larger ones take much longer (auto-configure times real steps on this backend before it picks the settings).';
  return `${base}${speed}${meaning}`;
}

/** Whether WebGPU or WebGL was measured on a software emulation (for the comparison's labels). */
export function softwareNote(backend: ComparedBackend, hardware: HardwareReport): string {
  if (backend === 'webgpu') return webGpuSoftware(hardware.webgpu);
  if (backend === 'webgl') return webGlSoftware(hardware.webgl);
  return '';
}
