/**
 * Auto-configuration's probe: times real training steps (the real model, optimizer, augmenter and
 * train step) of the cheapest candidates first, and stops as soon as one is too slow, runs out of
 * memory, or the probe's time is up (protocol/auto-config-probe.ts decides). Each candidate trains on a
 * copy of the first batch of images, so nothing that goes wrong here touches the data set. Larger
 * candidates are extrapolated from FLOPs by protocol/auto-config.ts.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { ImageStore } from '../core/data/image-store';
import { Trainer } from '../core/train/trainer';
import {
  type Candidate,
  candidateCost,
  candidateList,
  type DeviceLimits,
  describeCandidate,
  type ProbeFailure,
  passBytes,
  type StepMeasurement,
} from '../protocol/auto-config';
import {
  nextProbe,
  type ProbeProgress,
  type ProbeRequest,
  pickToConfirm,
  TIMED_STEPS,
} from '../protocol/auto-config-probe';
import type { BackendName, TrainConfig } from '../protocol/config';
import { toErrorInfo } from '../protocol/messages';
import { recreateWebGpuBackend } from './device-watch';
import { classifyFault } from './faults';
import type { Emit } from './ingest';
import { planRunStep, runStepLimits } from './step-plan';

export class ProbeCancelled extends Error {}

/** The device's limits for a step before any weights: the run's own (worker/step-plan.ts). */
export function deviceLimits(store: ImageStore): DeviceLimits {
  return runStepLimits(store, 0);
}

/** A copy of the first `count` images: what a probe step trains on. */
function firstImages(store: ImageStore, count: number): ImageStore {
  const n = Math.min(count, store.length);
  const copy = new ImageStore(store.size, n);
  for (let i = 0; i < n; i++) copy.add(store.image(i).slice(), store.paths[i] ?? '');
  return copy;
}

/** Error scopes around a candidate on WebGPU: out-of-memory and validation errors do not throw there. */
export async function withGpuErrorScopes<T>(backend: BackendName, action: () => Promise<T>): Promise<T> {
  if (backend !== 'webgpu') return action();
  const device = (tf.backend() as WebGPUBackend).device;
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, value: await action() };
  } catch (error) {
    outcome = { ok: false, error };
  }
  const validation = await device.popErrorScope().catch(() => null);
  const oom = await device.popErrorScope().catch(() => null);
  if (oom) throw new Error(`GPU out of memory: ${oom.message}`);
  if (!outcome.ok) throw outcome.error;
  if (validation) throw new Error(validation.message);
  return outcome.value;
}

export interface StepTiming extends Pick<StepMeasurement, 'secondsPerStep' | 'firstStepSeconds' | 'passes'> {
  /** Steps timed after the warm-up step (fewer than asked when `enough` stopped early). */
  timedSteps: number;
}

export interface StepTimingOptions {
  /** Checked between steps; true throws ProbeCancelled. */
  cancelled: () => boolean;
  /** Steps timed after the warm-up (default TIMED_STEPS). */
  timedSteps?: number;
  /** After each timed step, with its seconds: true stops timing (the backend comparison's early out). */
  enough?: (stepSeconds: number) => boolean;
  /** Told before each step (1-based, of 1 + timedSteps): the probe's progress. */
  onStep?: (step: number) => void;
}

/**
 * One warm-up step, then `timedSteps` timed ones of `candidate` on the active backend, split into the
 * passes a run of it would take (worker/step-plan.ts; a StepDoesNotFitError when none fits).
 * Auto-configure's probe and the backend comparison (worker/backend-comparison.ts) both time steps here.
 */
export async function timeCandidate(
  candidate: Candidate,
  base: TrainConfig,
  store: ImageStore,
  options: StepTimingOptions,
): Promise<StepTiming> {
  const { cancelled, timedSteps = TIMED_STEPS, enough, onStep = () => undefined } = options;
  const config: TrainConfig = { ...base, ...candidate };
  const images = firstImages(store, candidate.batchSize);
  const indices = Int32Array.from({ length: candidate.batchSize }, (_, i) => i % images.length);
  // The same batch every step, at the peak learning rate (no schedule): only the time matters.
  const trainer = new Trainer(config, images, { batches: { nextBatch: () => indices }, augmentSeed: config.seed });
  try {
    const { model } = trainer;
    const { passes } = planRunStep(config, store, model.encoderParamCount + model.headParamCount);
    let taken = 0;
    const step = async (): Promise<number> => {
      if (cancelled()) throw new ProbeCancelled('cancelled');
      onStep(taken + 1);
      const start = performance.now();
      const { loss } = trainer.step(taken, passes, false);
      taken += 1;
      // GPU-to-CPU sync: each probe step is waited for, so its time is the whole step's.
      const value = (await loss.data())[0];
      loss.dispose();
      if (!Number.isFinite(value)) throw new Error(`the trial step's loss was ${value}`);
      const seconds = (performance.now() - start) / 1000;
      // Let a cancel command in between steps.
      await new Promise((resolve) => setTimeout(resolve, 0));
      return seconds;
    };
    const firstStepSeconds = await step();
    let total = 0;
    let timed = 0;
    while (timed < timedSteps) {
      const seconds = await step();
      total += seconds;
      timed++;
      if (enough?.(seconds)) break;
    }
    return { firstStepSeconds, secondsPerStep: total / timed, timedSteps: timed, passes };
  } finally {
    try {
      trainer.dispose();
    } catch {
      // After a device loss the tensors went with the backend.
    }
  }
}

/** One probe request at a time; `cancel` stops it between steps. */
export class ConfigProbe {
  private cancelled = false;

  constructor(private readonly emit: Emit) {}

  cancel(): void {
    this.cancelled = true;
  }

  async run(requestId: number, request: ProbeRequest, store: ImageStore, backend: BackendName): Promise<void> {
    const started = performance.now();
    const elapsedSeconds = () => (performance.now() - started) / 1000;
    const data = { imageCount: store.length, storeSize: store.size };
    const limits = deviceLimits(store);
    const list = candidateList(data, request.base, request.fixed ?? {});
    const measurements: StepMeasurement[] = [];
    const failures: ProbeFailure[] = [];
    let lastIndex = -1;
    let stopReason = '';
    let deviceLost = false;
    /** Times `candidate`, telling the UI before each step; a failure is recorded for the choice. */
    const timeOne = async (
      stage: ProbeProgress['stage'],
      candidate: Candidate,
      flopsPerStep: number,
    ): Promise<'measured' | 'failed' | 'cancelled' | 'deviceLost'> => {
      const tried = measurements.length + failures.length;
      const what = `${stage === 'confirming' ? 'Timing the pick' : 'Timing'} ${describeCandidate(candidate)}`;
      const progress = (step: number) =>
        this.emit({
          type: 'configProbeProgress',
          requestId,
          tried,
          message: `${what}…`,
          elapsedSeconds: elapsedSeconds(),
          stage,
          candidate,
          step,
          steps: 1 + TIMED_STEPS,
        });
      progress(0);
      try {
        const timing = await withGpuErrorScopes(backend, () =>
          timeCandidate(candidate, request.base, store, { cancelled: () => this.cancelled, onStep: progress }),
        );
        measurements.push({ candidate, flopsPerStep, ...timing });
        return 'measured';
      } catch (error) {
        if (error instanceof ProbeCancelled) return 'cancelled';
        const fault = classifyFault(error);
        const { message } = toErrorInfo(error);
        failures.push({
          candidate,
          passBytes: passBytes(candidate, request.base, limits),
          outOfMemory: fault === 'out-of-memory',
          message,
        });
        if (fault !== 'device-lost') return 'failed';
        await recreateWebGpuBackend();
        return 'deviceLost';
      }
    };
    while (!this.cancelled) {
      const decision = nextProbe({
        list,
        limits,
        data,
        request,
        measurements,
        failures,
        lastIndex,
        elapsedSeconds: elapsedSeconds(),
      });
      if (decision.kind === 'stop') {
        stopReason = decision.reason;
        break;
      }
      lastIndex = decision.index;
      const { candidate, cost } = list[decision.index]!;
      const outcome = await timeOne('timing', candidate, cost.flopsPerStep);
      if (outcome === 'cancelled') break;
      if (outcome === 'deviceLost') {
        deviceLost = true;
        stopReason = `The GPU device was lost while timing ${describeCandidate(candidate)}; WebGPU was started again.`;
        break;
      }
    }
    // The pick itself is timed when it was extrapolated from smaller sizes, and the choice made again.
    for (let confirmed = 0; !this.cancelled && !deviceLost && measurements.length > 0; confirmed++) {
      const pick = pickToConfirm(
        {
          limits,
          measurements,
          failures,
          data,
          context: request.base,
          duration: request.base.duration,
          timeBudgetSeconds: request.timeBudgetSeconds,
          ...(request.fixed ? { fixed: request.fixed } : {}),
          ...(request.evaluation ? { evaluation: request.evaluation } : {}),
        },
        confirmed,
      );
      if (!pick) break;
      const { flopsPerStep } = candidateCost(pick, request.base);
      const outcome = await timeOne('confirming', pick, flopsPerStep);
      if (outcome === 'cancelled' || outcome === 'deviceLost') break;
      stopReason += ` Timed the pick, ${describeCandidate(pick)}, itself${outcome === 'failed' ? ': it failed' : ''}.`;
    }
    this.emit({
      type: 'configProbeDone',
      requestId,
      result: {
        backend,
        limits,
        data,
        measurements,
        failures,
        stopReason: this.cancelled ? 'Cancelled.' : stopReason,
        cancelled: this.cancelled,
        elapsedSeconds: elapsedSeconds(),
      },
    });
  }
}
