/**
 * Chooses the compute backend. With no `?backend=` in the URL and nothing remembered for this hardware,
 * it times real training steps of one small fixed config (auto-configure's step timing,
 * worker/config-probe.ts) on every backend that starts and keeps the fastest. A backend that fails to
 * start or to train a step is reported in the comparison, never fatal.
 */

import { selectBackend, startBackend } from '../core/backend/select-backend';
import { ImageStore } from '../core/data/image-store';
import { defineAllCustomKernels, selectKernels } from '../core/kernels';
import { Rng } from '../core/random/rng';
import { type Candidate, describeCandidate, LADDER } from '../protocol/auto-config';
import {
  BACKEND_LABEL,
  type BackendComparison,
  type BackendDecision,
  type BackendTiming,
  CLEARLY_SLOWER,
  COMPARED_BACKENDS,
  COMPARISON_TIMED_STEPS,
  pickFastest,
  type RememberedBackend,
} from '../protocol/backend-comparison';
import type { KernelChoice } from '../protocol/config';
import { type BackendChoice, type BackendName, DEFAULT_TRAIN_CONFIG } from '../protocol/config';
import { hardwareKey } from '../protocol/hardware';
import { toErrorInfo } from '../protocol/messages';
import { ProbeCancelled, timeCandidate, withGpuErrorScopes } from './config-probe';
import { recreateWebGpuBackend } from './device-watch';
import { classifyFault } from './faults';
import { readHardware } from './hardware-report';

/** What one comparison step trains: auto-configure's second rung, a step of well under a second on a CPU. */
export const COMPARISON_WORKLOAD: Candidate = LADDER[1] ?? {
  encoder: 'resnet-small',
  widthMultiplier: 0.25,
  imageSize: 24,
  batchSize: 32,
};

/** Seeded noise images: the comparison must not depend on (or wait for) the person's data. */
function noiseImages(size: number, count: number): ImageStore {
  const rng = new Rng(7);
  const store = new ImageStore(size, count);
  for (let i = 0; i < count; i++) {
    const rgb = new Uint8Array(size * size * 3);
    for (let j = 0; j < rgb.length; j++) rgb[j] = Math.floor(rng.next() * 256);
    store.add(rgb, `noise-${i}`);
  }
  return store;
}

const message = (error: unknown): string => toErrorInfo(error).message;

/** Times every backend that starts; leaves the last one tried active (the caller switches to its pick). */
export async function compareBackends(
  kernels: KernelChoice,
  progress: (message: string) => void,
  stopped: () => boolean = () => false,
  workload: Candidate = COMPARISON_WORKLOAD,
): Promise<BackendComparison> {
  defineAllCustomKernels();
  const images = noiseImages(Math.max(workload.imageSize, 32), workload.batchSize);
  const timings: BackendTiming[] = [];
  const best = (): number | null => {
    const measured = timings.flatMap((t) => (t.outcome === 'measured' ? [t.msPerStep] : []));
    return measured.length > 0 ? Math.min(...measured) : null;
  };
  for (const backend of COMPARED_BACKENDS) {
    const label = BACKEND_LABEL[backend];
    if (stopped() && best() !== null) {
      timings.push({ backend, outcome: 'skipped' });
      continue;
    }
    progress(`Comparing backends: starting ${label}…`);
    try {
      await startBackend(backend);
    } catch (error) {
      timings.push({ backend, outcome: 'failed', stage: 'start', message: message(error) });
      continue;
    }
    selectKernels(kernels, backend);
    progress(`Comparing backends: timing ${label} (a warm-up step, then up to ${COMPARISON_TIMED_STEPS} timed)…`);
    try {
      const bestMs = best();
      const timing = await withGpuErrorScopes(backend, () =>
        timeCandidate(workload, DEFAULT_TRAIN_CONFIG, images, {
          // Stopping between steps keeps what was timed: the fastest so far is used.
          cancelled: () => stopped() && best() !== null,
          timedSteps: COMPARISON_TIMED_STEPS,
          // One timed step is enough to show a backend is far slower than one already measured.
          enough: (seconds) => bestMs !== null && seconds * 1000 > CLEARLY_SLOWER * bestMs,
        }),
      );
      timings.push({
        backend,
        outcome: 'measured',
        msPerStep: timing.secondsPerStep * 1000,
        firstStepMs: timing.firstStepSeconds * 1000,
        timedSteps: timing.timedSteps,
      });
    } catch (error) {
      if (error instanceof ProbeCancelled) {
        timings.push({ backend, outcome: 'skipped' });
        continue;
      }
      timings.push({ backend, outcome: 'failed', stage: 'step', message: message(error) });
      if (backend === 'webgpu' && classifyFault(error) === 'device-lost') await recreateWebGpuBackend();
    } finally {
      // Our fused ops are switched on per backend but called by id: only the chosen backend's stay on.
      selectKernels('stock', backend);
    }
  }
  return {
    workload: describeCandidate(workload),
    timings,
    fastest: pickFastest(timings),
    measuredAt: new Date().toISOString(),
  };
}

export interface EstablishedBackend {
  backend: BackendName;
  /** The backend line's detail (adapter, wasm threads, or why another backend was passed over). */
  reason: string;
  adapterInfo: string;
  decision: BackendDecision;
}

export type BackendRequest =
  /** Start-up: `?backend=` forces one; 'auto' uses the remembered choice for this hardware, or compares. */
  | { kind: 'init'; choice: BackendChoice; kernels: KernelChoice; remembered: RememberedBackend | null }
  /** "Measure again". */
  | { kind: 'measure'; kernels: KernelChoice }
  /** The person picked a backend in the chooser. */
  | { kind: 'pick'; backend: BackendName; kernels: KernelChoice; comparison: BackendComparison | null };

/** Starts the backend `request` asks for and says how it was chosen. */
export async function establishBackend(
  request: BackendRequest,
  progress: (message: string) => void,
  stopped: () => boolean = () => false,
): Promise<EstablishedBackend> {
  progress('Reading the graphics hardware…');
  const hardware = await readHardware();
  const decide = (
    source: BackendDecision['source'],
    comparison: BackendComparison | null,
    rememberedPick = false,
    requested: BackendName | null = null,
  ): BackendDecision => ({ source, rememberedPick, requested, hardware, comparison });
  if (request.kind === 'init' && request.choice !== 'auto') {
    // A backend that cannot start hands over to the next in the usual order; the reason says why.
    const selection = await selectBackend(request.choice);
    return { ...selection, decision: decide('url', null, false, request.choice) };
  }
  if (request.kind === 'pick') {
    const selection = await selectBackend(request.backend);
    return { ...selection, decision: decide('picked', request.comparison, false, request.backend) };
  }
  const remembered = request.kind === 'init' ? request.remembered : null;
  if (remembered && remembered.hardwareKey === hardwareKey(hardware)) {
    const selection = await selectBackend(remembered.backend).catch(() => null);
    if (selection?.backend === remembered.backend) {
      return { ...selection, decision: decide('remembered', remembered.comparison, remembered.picked) };
    }
  }
  const comparison = await compareBackends(request.kernels, progress, stopped);
  if (comparison.fastest) {
    const selection = await selectBackend(comparison.fastest);
    if (selection.backend === comparison.fastest) return { ...selection, decision: decide('measured', comparison) };
  }
  // Nothing else trained a step: plain JavaScript, the last resort (it throws if even that fails).
  const selection = await selectBackend('cpu');
  return { ...selection, decision: decide('fallback', comparison) };
}
