import { describe, expect, it } from 'vitest';
import {
  type AutoConfigChoice,
  batchCap,
  type Candidate,
  type ChoiceInput,
  candidateCost,
  candidateList,
  candidateStep,
  chooseConfig,
  type DatasetShape,
  type DeviceLimits,
  fitStepTime,
  LADDER,
  memoryProblem,
  passBytes,
  predictRun,
  type StepMeasurement,
} from './auto-config';
import { DEFAULT_TRAIN_CONFIG, totalSteps } from './config';
import { memoryLimitsFor, planStep } from './step-memory';

const context = DEFAULT_TRAIN_CONFIG;
const GiB = 2 ** 30;
const SAMPLE: DatasetShape = { imageCount: 600, storeSize: 64 };
const BIG_GPU: DeviceLimits = {
  backend: 'webgpu',
  maxTensorBytes: 4 * GiB,
  budgetBytes: 8 * GiB,
  source: 'test',
};

/** Timings of the `count` cheapest candidates on a device that runs `flopsPerSecond` after `overhead` s. */
function measure(data: DatasetShape, flopsPerSecond: number, overhead: number, count = 2): StepMeasurement[] {
  return candidateList(data, context)
    .slice(0, count)
    .map(({ candidate, cost }) => ({
      candidate,
      flopsPerStep: cost.flopsPerStep,
      secondsPerStep: overhead + cost.flopsPerStep / flopsPerSecond,
      firstStepSeconds: 1,
      passes: 1,
    }));
}

function input(over: Partial<ChoiceInput>): ChoiceInput {
  return {
    limits: BIG_GPU,
    measurements: measure(SAMPLE, 1e12, 0.005),
    failures: [],
    data: SAMPLE,
    context,
    duration: { unit: 'epochs', value: 20 },
    timeBudgetSeconds: 600,
    ...over,
  };
}

const rank = (choice: AutoConfigChoice | null) =>
  candidateList(SAMPLE, context).findIndex((c) => c.cost.flopsPerStep === choice?.cost.flopsPerStep);

describe('candidates', () => {
  it('are ordered from the cheapest step to the most expensive', () => {
    const list = candidateList({ imageCount: 50_000, storeSize: 128 }, context);
    expect(list.length).toBe(LADDER.length);
    for (let i = 1; i < list.length; i++)
      expect(list[i]!.cost.flopsPerStep).toBeGreaterThan(list[i - 1]!.cost.flopsPerStep);
  });

  it('never have an image size above the stored size, nor a batch that leaves under 4 steps an epoch', () => {
    for (const data of [
      { imageCount: 600, storeSize: 24 },
      { imageCount: 40, storeSize: 16 },
      { imageCount: 3, storeSize: 64 },
    ]) {
      for (const { candidate } of candidateList(data, context)) {
        expect(candidate.imageSize).toBeLessThanOrEqual(data.storeSize);
        expect(candidate.batchSize).toBeLessThanOrEqual(Math.max(2, data.imageCount / 4));
        expect(candidate.batchSize).toBeGreaterThanOrEqual(2);
      }
    }
    expect([batchCap(600), batchCap(40), batchCap(3), batchCap(2)]).toEqual([128, 8, 2, 2]);
  });

  it('keep the fields the person fixed, even above the caps', () => {
    const list = candidateList(SAMPLE, context, { imageSize: 96, batchSize: 300 });
    expect(list.every((c) => c.candidate.imageSize === 96 && c.candidate.batchSize === 300)).toBe(true);
  });

  it('split a batch too large for one pass into passes, as a run plans it', () => {
    const small = { encoder: 'resnet18', widthMultiplier: 0.25, imageSize: 32, batchSize: 64 } as const;
    const large = { ...small, batchSize: 256 };
    expect(candidateCost(large, context).paramBytes).toBe(candidateCost(small, context).paramBytes);
    const wasm = memoryLimitsFor('wasm', { residentBytes: 0 });
    const one = candidateStep(small, context, wasm);
    const split = candidateStep(large, context, wasm);
    expect(one.fits && one.plan.passes).toBe(1);
    expect(split.fits && split.plan.passes).toBe(4);
    expect(memoryProblem(large, context, wasm)).toBeNull();
    // The run's own planner, with the candidate's weights held, agrees.
    const weights = candidateCost(large, context).paramBytes;
    const run = planStep({ ...large, stem: context.stem }, memoryLimitsFor('wasm', { residentBytes: weights }));
    expect(run.fits && run.plan.passes).toBe(4);
  });
});

describe('step-time model', () => {
  it('recovers overhead and throughput from two timings', () => {
    const model = fitStepTime(measure(SAMPLE, 2e11, 0.01));
    expect(model?.overheadSeconds).toBeCloseTo(0.01, 6);
    expect(model?.secondsPerFlop).toBeCloseTo(1 / 2e11, 15);
  });

  it('with one timing, scales it by FLOPs', () => {
    const [m] = measure(SAMPLE, 1e10, 0.5, 1);
    const model = fitStepTime([m!]);
    expect(model).toEqual({ overheadSeconds: 0, secondsPerFlop: m!.secondsPerStep / m!.flopsPerStep });
    expect(fitStepTime([])).toBeNull();
  });

  it('predicts a run as steps x seconds per step (epochs: floor(N / B) steps each)', () => {
    const measurements = measure(SAMPLE, 1e11, 0.02);
    const candidate = { encoder: 'resnet18', widthMultiplier: 1, imageSize: 32, batchSize: 128 } as const;
    const run = predictRun(candidate, context, measurements, { unit: 'epochs', value: 20 }, 600);
    const flops = candidateCost(candidate, context).flopsPerStep;
    expect(run?.steps).toBe(4 * 20);
    expect(run?.steps).toBe(totalSteps({ batchSize: 128, duration: { unit: 'epochs', value: 20 } }, 600));
    expect(run?.secondsPerStep).toBeCloseTo(0.02 + flops / 1e11, 9);
    expect(run?.etaSeconds).toBeCloseTo(80 * (0.02 + flops / 1e11), 6);
    expect(run?.basis).toBe('extrapolated');
    const measured = measurements[0]!;
    const own = predictRun(measured.candidate, context, measurements, { unit: 'steps', value: 7 }, 600);
    expect(own).toMatchObject({
      steps: 7,
      secondsPerStep: measured.secondsPerStep,
      etaSeconds: 7 * measured.secondsPerStep,
      basis: 'measured',
    });
  });

  it('counts the embedding passes before, during and after the run in its time', () => {
    const measurements = measure(SAMPLE, 1e11, 0.02);
    const measured = measurements[0]!;
    const { batchSize } = measured.candidate;
    const schedule = { embedEvery: 3, sampleImages: 6 * batchSize };
    const own = predictRun(measured.candidate, context, measurements, { unit: 'steps', value: 7 }, 600, schedule)!;
    // Before step 1, at steps 3 and 6, after step 7: 4 passes, each estimated at one step's time (6B images).
    expect(own.passes).toBe(4);
    expect(own.passSeconds).toBeCloseTo(4 * measured.secondsPerStep, 9);
    expect(own.etaSeconds).toBeCloseTo(11 * measured.secondsPerStep, 9);
  });
});

describe('chooseConfig', () => {
  it('picks a larger config on a faster device', () => {
    const slow = chooseConfig(input({ measurements: measure(SAMPLE, 2e9, 0.01) }));
    const fast = chooseConfig(input({ measurements: measure(SAMPLE, 5e12, 0.005) }));
    expect(rank(fast)).toBeGreaterThan(rank(slow));
    expect(fast?.candidate.encoder).toBe('resnet18');
    expect(slow?.candidate.encoder).toBe('resnet-small');
    expect(slow?.fitsBudget && fast?.fitsBudget).toBe(true);
  });

  it('fits the time budget and names what stopped the next size up', () => {
    const choice = chooseConfig(input({ measurements: measure(SAMPLE, 1e11, 0.01), timeBudgetSeconds: 120 }))!;
    expect(choice.etaSeconds).toBeLessThanOrEqual(120);
    expect(choice.next.kind).toBe('slow');
    if (choice.next.kind === 'slow') expect(choice.next.etaSeconds).toBeGreaterThan(120);
    // A longer budget picks something at least as large.
    const longer = chooseConfig(input({ measurements: measure(SAMPLE, 1e11, 0.01), timeBudgetSeconds: 3600 }))!;
    expect(rank(longer)).toBeGreaterThan(rank(choice));
  });

  it('never exceeds the memory limits', () => {
    for (const maxTensorMiB of [1, 4, 16, 64, 512]) {
      for (const budgetMiB of [64, 256, 1024, 4096]) {
        const limits: DeviceLimits = {
          backend: 'webgpu',
          maxTensorBytes: maxTensorMiB * 2 ** 20,
          budgetBytes: budgetMiB * 2 ** 20,
          source: 'test',
        };
        const choice = chooseConfig(input({ limits, measurements: measure(SAMPLE, 1e14, 0.001) }))!;
        if (memoryProblem(choice.candidate, context, limits)) {
          // Only when not even the smallest fits; then it is the smallest and says it is over budget.
          expect(choice.fitsBudget).toBe(false);
          expect(rank(choice)).toBe(0);
          expect(choice.stepPlan).toBeNull();
        } else {
          // Each pass fits what is left after the weights.
          const plan = choice.stepPlan!;
          expect(plan.passBytes).toBeLessThanOrEqual(limits.budgetBytes - choice.cost.paramBytes);
          expect(plan.passes * plan.imagesPerPass).toBeGreaterThanOrEqual(choice.candidate.batchSize);
        }
        if (choice.fitsBudget && choice.next.kind === 'memory')
          expect(choice.next.problem.needBytes).toBeGreaterThan(choice.next.problem.limitBytes);
      }
    }
  });

  it('respects the image-size cap of the stored images', () => {
    const data = { imageCount: 5000, storeSize: 24 };
    const choice = chooseConfig(input({ data, measurements: measure(data, 1e14, 0.001) }))!;
    expect(choice.candidate.imageSize).toBe(24);
  });

  it('skips sizes at or above one that ran out of memory in the probe', () => {
    const list = candidateList(SAMPLE, context);
    const oom = list[3]!;
    const bytes = (c: Candidate) => passBytes(c, context, BIG_GPU);
    const failures = [{ candidate: oom.candidate, passBytes: bytes(oom.candidate), outOfMemory: true, message: 'OOM' }];
    const choice = chooseConfig(input({ failures, measurements: measure(SAMPLE, 1e14, 0.001) }))!;
    expect(bytes(choice.candidate)).toBeLessThan(bytes(oom.candidate));
    expect(choice.next.kind).toBe('failed');
  });

  it('keeps fixed fields and picks the rest around them', () => {
    const choice = chooseConfig(input({ fixed: { batchSize: 32 }, measurements: measure(SAMPLE, 5e12, 0.005) }))!;
    expect(choice.candidate.batchSize).toBe(32);
    expect(choice.steps).toBe(Math.floor(600 / 32) * 20);
    expect(choice.considered).toBeGreaterThan(1);
    const all = { encoder: 'resnet18', widthMultiplier: 0.25, imageSize: 32, batchSize: 32 } as const;
    expect(chooseConfig(input({ fixed: all }))!.considered).toBe(1);
  });

  it('over budget even at the smallest: the smallest, and the duration that would fit', () => {
    const measurements = measure(SAMPLE, 1e7, 0.5);
    const choice = chooseConfig(input({ measurements, timeBudgetSeconds: 60 }))!;
    expect(choice.fitsBudget).toBe(false);
    expect(rank(choice)).toBe(0);
    expect(choice.etaSeconds).toBeGreaterThan(60);
    const perEpoch = Math.floor(600 / choice.candidate.batchSize);
    const epochs = choice.fittingDuration!.value;
    expect(choice.fittingDuration?.unit).toBe('epochs');
    expect(epochs * perEpoch * choice.secondsPerStep <= 60 || epochs === 1).toBe(true);
    expect((epochs + 1) * perEpoch * choice.secondsPerStep).toBeGreaterThan(60);
  });

  it('climbs to batch 4,096 in chunks when the data set and the time budget allow', () => {
    const data = { imageCount: 50_000, storeSize: 32 };
    const r18 = (batchSize: number) => ({ encoder: 'resnet18', widthMultiplier: 1, imageSize: 32, batchSize }) as const;
    expect(candidateList(data, context).map((c) => c.candidate.batchSize)).toEqual(
      expect.arrayContaining([512, 1024, 2048, 4096]),
    );
    const measurements = measure(data, 1e13, 0.001);
    const generous = chooseConfig(input({ data, measurements, timeBudgetSeconds: 1e6 }))!;
    expect(generous.candidate).toEqual(r18(4096));
    expect(generous.next.kind).toBe('largest');
    const plan = generous.stepPlan!;
    expect(plan.passes).toBeGreaterThan(1);
    expect(plan.passes * plan.imagesPerPass).toBeGreaterThanOrEqual(4096);
    expect(plan.reason).toMatch(/^the whole batch at once needs about [\d.]+ GiB; test leaves 7\.8 GiB$/);
    // The time budget stops the climb: a smaller budget picks a smaller batch and says the next was slow.
    const tight = chooseConfig(input({ data, measurements, timeBudgetSeconds: generous.etaSeconds / 2 }))!;
    expect(tight.candidate.batchSize).toBeLessThan(4096);
    expect(tight.next.kind).toBe('slow');
    // wasm's 4 GiB heap: up to 2,048 in chunks; the loss over 8,192 views (5.3 GiB) is what stops 4,096.
    const wasm = memoryLimitsFor('wasm', { residentBytes: 0 });
    for (const batchSize of [512, 1024, 2048]) expect(memoryProblem(r18(batchSize), context, wasm)).toBeNull();
    const onWasm = chooseConfig(input({ data, limits: wasm, measurements, timeBudgetSeconds: 1e6 }))!;
    expect(onWasm.candidate).toEqual(r18(2048));
    expect(onWasm.stepPlan!.passes).toBeGreaterThan(1);
    expect(onWasm.next).toMatchObject({ kind: 'memory', candidate: r18(4096), problem: { kind: 'total' } });
    // WebGPU's default 128 MiB binding cannot hold the [8192, 8192] similarities (256 MiB).
    const gpu = memoryLimitsFor('webgpu', { residentBytes: 0, maxBindingBytes: 128 * 2 ** 20 });
    const similarities = { ...gpu, budgetBytes: 64 * GiB };
    expect(memoryProblem(r18(4096), context, similarities)).toMatchObject({ kind: 'tensor', needBytes: 8192 ** 2 * 4 });
    expect(memoryProblem(r18(2048), context, similarities)).toBeNull();
  });

  it('batchCap keeps the large batches to data sets with 4 steps an epoch', () => {
    const batches = (imageCount: number) =>
      Math.max(...candidateList({ imageCount, storeSize: 32 }, context).map((c) => c.candidate.batchSize));
    expect([batches(600), batches(4_096), batches(8_192), batches(20_000)]).toEqual([128, 1024, 2048, 4096]);
  });

  it("plans the person's chunk where it divides a candidate's batch, else the fewest chunks that fit", () => {
    const wasm = memoryLimitsFor('wasm', { residentBytes: 0 });
    const candidate = { encoder: 'resnet18', widthMultiplier: 1, imageSize: 32, batchSize: 1024 } as const;
    const set = candidateStep(candidate, { ...context, chunkSize: 8 }, wasm);
    expect(set.fits && [set.plan.passes, set.plan.imagesPerPass]).toEqual([128, 8]);
    const odd = candidateStep(candidate, { ...context, chunkSize: 48 }, wasm);
    expect(odd).toEqual(candidateStep(candidate, context, wasm));
    // A set chunk too large for the device is a memory problem of its own kind.
    const whole = memoryProblem(candidate, { ...context, chunkSize: 1024 }, wasm);
    expect(whole?.kind).toBe('chunk');
    expect(whole!.needBytes).toBeGreaterThan(whole!.limitBytes);
  });

  it('needs a measurement', () => {
    expect(chooseConfig(input({ measurements: [] }))).toBeNull();
  });
});
