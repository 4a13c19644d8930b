/**
 * Issue #18's profile of one CPU (wasm) training step, in Node (one thread unless THREADS asks for more), for the two CPU configurations: the small ResNet x0.5 (32 px, batch 32) and ResNet-18 x0.25
 * (32 px, batch 128). For each: wall-clock views/s of the app's trainer (the default AdamW step), the same step in
 * PyTorch (e2e/bench/pytorch/simclr_step.py) with every core and with one thread, interleaved with ours
 * round by round (the machine is shared: ratios are per round, then the median), and one step under
 * tf.profile broken down by category, phase and ResNet stage (step-profile.ts), plus NT-Xent alone. Views
 * per CPU-second (ours: this process; PyTorch: its process, all threads) are printed too: on a shared
 * machine they move less with other processes' load than wall-clock figures.
 * Env: CASES=small,r18 (default both), ROUNDS (default 3), STEPS (timed steps per round, default 3),
 * THREADS (wasm threads, default 1; 2 or more start the threaded build as the app does, node-wasm-threads.ts),
 * KERNELS=custom|stock (our wasm kernels on or off, default custom). Run by hand:
 *   npx vitest run -c e2e/bench/cpu/vitest.config.ts wasm-profile
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { it } from 'vitest';
import { registerWasmConv2dFilterGrad } from '../../../src/core/backend/conv2d-grad-in-ops';
import { defineAllCustomKernels, selectKernels } from '../../../src/core/kernels';
import { ownWasmKernels, prepareOwnWasmKernels } from '../../../src/core/kernels/wasm-simd/own-module';
import { ntXentLoss } from '../../../src/core/loss/nt-xent';
import { spawnNodeKernelThread } from '../../../src/core/testing/node-kernel-threads';
import { Trainer } from '../../../src/core/train/trainer';
import { DEFAULT_TRAIN_CONFIG, SIMCLR_IMAGENET_AUGMENT } from '../../../src/protocol/config';
import { syntheticStore } from '../synthetic-store';
import type { TrainCase } from '../train/cases';
import { findTorchPython, runPytorch } from '../train/pytorch';
import { nodeWasmThreads, startThreadedWasmInNode } from './node-wasm-threads';
import { type Breakdown, breakdown, type PhaseMark } from './step-profile';

const CASES: Record<string, TrainCase> = {
  small: {
    name: 'cpu-resnet-small-x0.5-32px-b32',
    encoder: 'resnet-small',
    widthMultiplier: 0.5,
    stem: 'cifar',
    imageSize: 32,
    batchSize: 32,
    steps: 3,
    storeSize: 48,
    images: 64,
  },
  r18: {
    name: 'cpu-resnet18-x0.25-32px-b128',
    encoder: 'resnet18',
    widthMultiplier: 0.25,
    stem: 'cifar',
    imageSize: 32,
    batchSize: 128,
    steps: 3,
    storeSize: 48,
    images: 256,
  },
};
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const STEPS = Number(process.env.STEPS ?? 3);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const round = (x: number, digits = 1): number => Number(x.toFixed(digits));

interface EngineState {
  kernelDepth: number;
  activeProfile: { kernels: unknown[] };
}
const engineState = (): EngineState => (tf.engine() as unknown as { state: EngineState }).state;

/** How many kernels tf.profile has recorded so far in the running profile (the phase marks). */
function kernelsSoFar(): number {
  return engineState().activeProfile.kernels.length;
}

/** Records the engine's kernelDepth beside each kernel the running profile records (0: top level). */
function recordDepths(depths: number[]): void {
  const state = engineState();
  const list = state.activeProfile.kernels;
  const push = list.push.bind(list);
  list.push = (...items: unknown[]) => {
    for (const _ of items) depths.push(state.kernelDepth);
    return push(...items);
  };
}

/** Wraps `object[key]` so each call first marks where `phase` starts while `marking` is on. */
function markOnCall<T extends object, K extends keyof T>(
  object: T,
  key: K,
  onCall: () => void,
  onReturn?: () => void,
): void {
  const original = object[key] as unknown as (...args: unknown[]) => unknown;
  object[key] = ((...args: unknown[]) => {
    onCall();
    const result = original.apply(object, args);
    onReturn?.();
    return result;
  }) as T[K];
}

async function profileStep(
  trainer: Trainer,
  step: () => Promise<number>,
): Promise<{ wallMs: number; b: Breakdown; peakBytes: number }> {
  let marking = false;
  const marks: PhaseMark[] = [{ phase: 'augment', start: 0 }];
  const mark = (phase: string) => () => {
    if (marking) marks.push({ phase, start: kernelsSoFar() });
  };
  markOnCall(trainer.model.encoder, 'run', mark('encoder forward'));
  markOnCall(trainer.model.head, 'run', mark('head forward'), mark('NT-Xent forward'));
  markOnCall(trainer.optimizer, 'apply', mark('optimizer'));
  marking = true;
  const t0 = performance.now();
  const depths: number[] = [];
  const profile = await tf.profile(() => {
    recordDepths(depths);
    return step();
  });
  const wallMs = performance.now() - t0;
  marking = false;
  // Backward starts after the loss: the first scalar Mean after the head (NT-Xent's last forward op).
  const lossMark = marks.find((m) => m.phase === 'NT-Xent forward');
  const optimizerMark = marks.find((m) => m.phase === 'optimizer');
  if (lossMark && optimizerMark) {
    const end = profile.kernels.findIndex(
      (k, i) => i >= lossMark.start && k.name === 'Mean' && k.outputShapes[0]?.length === 0,
    );
    if (end >= 0 && end < optimizerMark.start) marks.push({ phase: 'backward', start: end + 1 });
  }
  marks.sort((a, b) => a.start - b.start);
  return { wallMs, b: breakdown(profile.kernels, depths, marks), peakBytes: profile.peakBytes };
}

async function profileNtXent(batch: number): Promise<{ kernels: number; kernelMs: number; wallMs: number }> {
  const z = tf.variable(tf.randomNormal([2 * batch, DEFAULT_TRAIN_CONFIG.projectionDim], 0, 1, 'float32', 5));
  const run = (): tf.Scalar =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const [z1, z2] = tf.split(z, 2, 0) as [tf.Tensor2D, tf.Tensor2D];
        return ntXentLoss(z1, z2, 0.5);
      }, [z]);
      tf.dispose(grads);
      return value;
    });
  run().dispose();
  const t0 = performance.now();
  const profile = await tf.profile(async () => {
    const loss = run();
    await loss.data();
    return loss;
  });
  const wallMs = performance.now() - t0;
  (profile.result as tf.Tensor).dispose();
  z.dispose();
  const kernelMs = profile.kernels.reduce((s, k) => s + (k.kernelTimeMs as number), 0);
  return { kernels: profile.kernels.length, kernelMs, wallMs };
}

function printBreakdown(label: string, wallMs: number, stepMs: number, b: Breakdown): void {
  const pct = (ms: number): string => `${((100 * ms) / b.kernelMs).toFixed(1)}%`.padStart(6);
  console.log(
    `\n== ${label}: ${b.topLevelKernels} top-level kernels (${b.topLevelMs.toFixed(0)} ms), ${b.kernels} leaf kernels (${b.kernelMs.toFixed(0)} ms); profiled step ${wallMs.toFixed(0)} ms wall`,
  );
  console.log(
    `   unprofiled step ${stepMs.toFixed(0)} ms: ${(stepMs - b.kernelMs).toFixed(0)} ms outside leaf kernels (dispatch, allocation, JS, GC); kernels wrote ${b.outputMB.toFixed(0)} MB of fresh tensors`,
  );
  console.log('-- by category');
  for (const c of b.byCategory)
    console.log(
      `   ${c.key.padEnd(24)} ${String(c.count).padStart(5)} ops ${c.ms.toFixed(0).padStart(7)} ms ${pct(c.ms)}`,
    );
  console.log('-- by phase (category ms)');
  for (const p of b.byPhase) {
    const cats = Object.entries(p.categories)
      .sort((x, y) => y[1] - x[1])
      .map(([k, v]) => `${k} ${v.toFixed(0)}`)
      .join(', ');
    console.log(
      `   ${p.key.padEnd(24)} ${String(p.count).padStart(5)} ops ${p.ms.toFixed(0).padStart(7)} ms ${pct(p.ms)}  (${cats})`,
    );
  }
  console.log('-- by ResNet stage (activation HxWxC; forward + backward)');
  for (const s of b.byStage)
    console.log(
      `   ${s.key.padEnd(24)} ${String(s.count).padStart(5)} ops ${s.ms.toFixed(0).padStart(7)} ms ${pct(s.ms)}  conv ${s.convMs.toFixed(0)} ms`,
    );
  console.log('-- convolutions by role (our kernels or XNNPACK): GFLOP and GFLOP/s');
  for (const c of b.convolutions)
    console.log(
      `   ${c.key.padEnd(24)} ${String(c.count).padStart(5)} ops ${c.ms.toFixed(0).padStart(7)} ms  ${c.gflop.toFixed(2)} GFLOP  ${((1000 * c.gflop) / c.ms).toFixed(1)} GFLOP/s`,
    );
  console.log('-- slowest kernels');
  for (const k of b.slowestKernels)
    console.log(
      `   ${k.key.padEnd(24)} ${String(k.count).padStart(5)} ops ${k.ms.toFixed(0).padStart(7)} ms ${pct(k.ms)}`,
    );
}

const THREADS = Number(process.env.THREADS ?? 1);

it('wasm step profile and ratio vs PyTorch', async () => {
  if (THREADS > 1) startThreadedWasmInNode(THREADS);
  await tf.setBackend('wasm');
  await tf.ready();
  registerWasmConv2dFilterGrad();
  // Our own SIMD kernels on as many threads as XNNPACK, as startBackend prepares them in the app.
  await prepareOwnWasmKernels(tf.backend(), nodeWasmThreads(), spawnNodeKernelThread);
  defineAllCustomKernels();
  const customKernels = selectKernels(process.env.KERNELS === 'stock' ? 'stock' : 'custom', 'wasm');
  const python = findTorchPython();
  const names = (process.env.CASES ?? 'small,r18').split(',');
  for (const name of names) {
    const c = CASES[name];
    if (!c) throw new Error(`unknown case ${name} (small, r18)`);
    const config = {
      ...DEFAULT_TRAIN_CONFIG,
      encoder: c.encoder,
      widthMultiplier: c.widthMultiplier,
      stem: c.stem,
      imageSize: c.imageSize,
      batchSize: c.batchSize,
      augment: SIMCLR_IMAGENET_AUGMENT,
    };
    const trainer = new Trainer(config, syntheticStore(c.images, c.storeSize), { samplerSeed: 1, augmentSeed: 9 });
    let taken = 0;
    const step = async (): Promise<number> => {
      const { loss } = trainer.step(taken++, 1, false);
      // CPU sync: each step waits for its loss (wasm computes synchronously; this only reads it).
      const value = (await loss.data())[0]!;
      loss.dispose();
      return value;
    };
    await step(); // warm-up: XNNPACK operators are created on first use
    // The same work as PyTorch's simclr_step.py: views made once beforehand, so a step is forward, backward
    // and optimizer (the app's step above also augments its views).
    const madeViews: tf.Tensor4D = tf.randomNormal([2 * c.batchSize, c.imageSize, c.imageSize, 3], 0, 1, 'float32', 3);
    // The Trainer's own step with its augmenter answering with these views (the sampling and view draws it
    // still makes are CPU arithmetic of microseconds).
    const augmenter = trainer.viewMaker();
    const makeViews = augmenter.views;
    const stepOnMadeViews = async (): Promise<void> => {
      augmenter.views = () => tf.clone(madeViews);
      try {
        const { loss } = trainer.step(taken++, 1, false);
        // CPU sync, as above.
        await loss.data();
        loss.dispose();
      } finally {
        augmenter.views = makeViews;
      }
    };
    await stepOnMadeViews();
    const rounds: Array<{
      ours: number;
      oursCpu: number;
      oursMadeViews: number;
      torchAll: number | null;
      torch1: number | null;
      torch1Cpu: number | null;
    }> = [];
    let lastLoss = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      for (let i = 0; i < STEPS; i++) lastLoss = await step();
      const cpu = process.cpuUsage(cpu0);
      const views = 2 * c.batchSize * STEPS;
      const ours = (views * 1000) / (performance.now() - t0);
      const oursCpu = (views * 1e6) / (cpu.user + cpu.system);
      const t1 = performance.now();
      for (let i = 0; i < STEPS; i++) await stepOnMadeViews();
      const oursMadeViews = (views * 1000) / (performance.now() - t1);
      let torchAll: number | null = null;
      let torch1: number | null = null;
      let torch1Cpu: number | null = null;
      if ('python' in python) {
        const torchCase = { ...c, device: 'cpu' as const };
        torchAll = runPytorch(python.python, [torchCase]).results[0]?.views_per_s ?? null;
        const one = runPytorch(python.python, [torchCase], 1).results[0];
        torch1 = one?.views_per_s ?? null;
        torch1Cpu = one?.views_per_cpu_s ?? null;
      }
      rounds.push({ ours, oursCpu, oursMadeViews, torchAll, torch1, torch1Cpu });
      console.log(
        `${c.name} round ${r + 1}: ours ${ours.toFixed(1)} views/s (${oursCpu.toFixed(1)} per CPU-s; ${oursMadeViews.toFixed(1)} on views made beforehand), PyTorch all cores ${torchAll?.toFixed(1)}, 1 thread ${torch1?.toFixed(1)} (${torch1Cpu?.toFixed(1)} per CPU-s)`,
      );
    }
    const stepMs = (2 * c.batchSize * 1000) / median(rounds.map((x) => x.ours));
    const { wallMs, b, peakBytes } = await profileStep(trainer, step);
    const nt = await profileNtXent(c.batchSize);
    trainer.dispose();
    const ratios = (key: 'torchAll' | 'torch1' | 'torch1Cpu'): number[] =>
      rounds.filter((x) => x[key] !== null).map((x) => (key === 'torch1Cpu' ? x.oursCpu : x.ours) / (x[key] as number));
    const sameWork = rounds.filter((x) => x.torchAll !== null).map((x) => x.oursMadeViews / (x.torchAll as number));
    madeViews.dispose();
    console.log(
      JSON.stringify({
        metric: 'cpu.ratio_vs_pytorch',
        value: round(median(ratios('torchAll')), 3),
        per_round: ratios('torchAll').map((x) => round(x, 3)),
        // Like for like: PyTorch's step takes views made beforehand; so does this one (no augmentation).
        ratio_vs_pytorch_same_work: round(median(sameWork), 3),
        views_per_s_on_made_views: round(median(rounds.map((x) => x.oursMadeViews))),
        ratio_vs_pytorch_1_thread: round(median(ratios('torch1')), 3),
        per_round_1_thread: ratios('torch1').map((x) => round(x, 3)),
        ratio_per_cpu_s_1_thread: round(median(ratios('torch1Cpu')), 3),
        views_per_cpu_s: round(median(rounds.map((x) => x.oursCpu))),
        case: c.name,
        views_per_s: round(median(rounds.map((x) => x.ours))),
        pytorch_views_per_s: round(median(rounds.flatMap((x) => (x.torchAll ? [x.torchAll] : [])))),
        pytorch_1_thread_views_per_s: round(median(rounds.flatMap((x) => (x.torch1 ? [x.torch1] : [])))),
        where: `node, tfjs-backend-wasm (SIMD, ${nodeWasmThreads()} thread${nodeWasmThreads() > 1 ? 's' : ''}) vs PyTorch CPU`,
        customKernels,
        own_kernel_threads: ownWasmKernels(tf.backend())?.threads ?? null,
        // Of the parts our kernels split their work into, the share the other kernel threads ran.
        own_kernel_helped_share: round(ownWasmKernels(tf.backend())?.pool?.helpedShare() ?? Number.NaN, 3),
        rounds: ROUNDS,
        steps_per_round: STEPS,
        leaf_kernels_per_step: b.kernels,
        top_level_kernels_per_step: b.topLevelKernels,
        peak_mb: round(peakBytes / 2 ** 20),
        last_loss: lastLoss,
      }),
    );
    printBreakdown(c.name, wallMs, stepMs, b);
    console.log(
      `-- NT-Xent alone (forward + gradient, [${2 * c.batchSize}, ${DEFAULT_TRAIN_CONFIG.projectionDim}]): ${nt.kernels} kernels, ${nt.kernelMs.toFixed(1)} ms in kernels, ${nt.wallMs.toFixed(1)} ms wall`,
    );
  }
});
