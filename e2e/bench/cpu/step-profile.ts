/**
 * Where one training step's time goes, from tf.profile's kernel list (wasm-profile.measure.ts prints it):
 * kernels by category, by phase of the step (marked while the step runs) and by encoder activation shape
 * (a stage of the ResNet: its convolutions with their BatchNorm and ReLU). Plain functions over the list.
 *
 * tf.profile lists nested kernels too: a kernel written in tfjs ops (our wasm conv gradients, a customGrad's
 * 'forward', tf.fused ops) is listed after the kernels it ran, with a time that includes theirs. With each
 * kernel's depth (the engine's kernelDepth when it was recorded), time is counted once: on the leaves, each
 * labelled with the top-level kernel it ran in.
 */
import type * as tf from '@tensorflow/tfjs';

export type KernelInfo = Awaited<ReturnType<typeof tf.profile>>['kernels'][number];

export type Category =
  | 'convolution'
  | 'matmul'
  | 'reduction'
  | 'elementwise'
  | 'copy/reshape/transpose'
  | 'pooling'
  | 'fill/constant'
  | 'other';

const CATEGORY_OF: Record<string, Category> = {};
const put = (category: Category, names: string): void => {
  for (const name of names.split(' ')) CATEGORY_OF[name] = category;
};
put('convolution', 'Conv2D FusedConv2D Conv2DBackpropInput Conv2DBackpropFilter DepthwiseConv2dNative');
put('matmul', 'BatchMatMul _FusedMatMul');
put('reduction', 'Sum Mean Max Min Prod All Any ArgMax ArgMin');
put(
  'elementwise',
  'Add AddN Sub Mul RealDiv FloorDiv Relu Relu6 Step Sqrt Rsqrt Square SquaredDifference Exp Log Log1p Maximum ' +
    'Minimum Neg Abs Greater GreaterEqual Less LessEqual Equal NotEqual Select Cast Pow Sigmoid Tanh Reciprocal ' +
    'ClipByValue LogicalAnd LogicalOr LogicalNot Sign Floor Ceil Round',
);
put('copy/reshape/transpose', 'Reshape Transpose Concat Slice StridedSlice Pad MirrorPad Tile Pack Unpack Identity');
put('copy/reshape/transpose', 'GatherV2 GatherNd SplitV Reverse Unpack BroadcastTo');
put('pooling', 'AvgPool AvgPoolGrad MaxPool MaxPoolGrad');
put('fill/constant', 'Fill ZerosLike OnesLike Range OneHot');

export function categoryOf(kernelName: string): Category {
  return CATEGORY_OF[kernelName] ?? 'other';
}

/** Kernel-list positions where each phase starts, in step order. */
export interface PhaseMark {
  phase: string;
  start: number;
}

export function phaseOf(index: number, marks: readonly PhaseMark[]): string {
  let phase = marks[0]?.phase ?? 'step';
  for (const mark of marks) if (index >= mark.start) phase = mark.phase;
  return phase;
}

const bytesOf = (shapes: number[][]): number => shapes.reduce((sum, s) => sum + 4 * s.reduce((a, b) => a * b, 1), 0);

/** The largest 4-D tensor a kernel reads or writes, as HxWxC: which ResNet stage it belongs to. */
function stageOf(k: KernelInfo): string | null {
  let best: number[] | null = null;
  for (const s of [...k.inputShapes, ...k.outputShapes])
    if (s && s.length === 4 && (!best || s[1]! * s[2]! * s[3]! > best[1]! * best[2]! * best[3]!)) best = s;
  if (best) return `${best[1]}x${best[2]}x${best[3]}`;
  // BatchNorm in ops works on [rows, C] views of the activation: rows = batch * H * W
  for (const s of [...k.inputShapes, ...k.outputShapes])
    if (s && s.length === 2 && s[0]! > 512) return `rows ${s[0]}x${s[1]}`;
  return null;
}

export interface Breakdown {
  /** Leaf kernels (the ones that compute) and their time. */
  kernels: number;
  kernelMs: number;
  /** Top-level kernels (what the step dispatches) and their time, which includes ops run inside kernels. */
  topLevelKernels: number;
  topLevelMs: number;
  /** MB written by kernels (sum of output sizes): the step's memory traffic into fresh tensors. */
  outputMB: number;
  byCategory: Array<{ key: string; count: number; ms: number }>;
  byPhase: Array<{ key: string; count: number; ms: number; categories: Record<string, number> }>;
  byStage: Array<{ key: string; count: number; ms: number; convMs: number }>;
  slowestKernels: Array<{ key: string; count: number; ms: number }>;
  /** Convolution leaves by the top-level kernel they ran in (forward, input or filter gradient): GFLOP, ms. */
  convolutions: Array<{ key: string; count: number; ms: number; gflop: number }>;
}

/** Multiply-adds x 2 of a convolution leaf: output elements x (filter taps x input channels). */
function convFlops(k: KernelInfo): number {
  const out = k.outputShapes[0];
  const filter = k.inputShapes[1];
  if (!out || !filter || filter.length !== 4) return 0;
  return 2 * out.reduce((a, b) => a * b, 1) * filter[0]! * filter[1]! * filter[2]!;
}

function tally<K extends string>(rows: Array<{ key: K; ms: number }>): Array<{ key: K; count: number; ms: number }> {
  const map = new Map<K, { key: K; count: number; ms: number }>();
  for (const { key, ms } of rows) {
    const entry = map.get(key) ?? { key, count: 0, ms: 0 };
    entry.count += 1;
    entry.ms += ms;
    map.set(key, entry);
  }
  return [...map.values()].sort((a, b) => b.ms - a.ms);
}

/** Leaves (no kernels nested in them) and the top-level kernel each one ran in. */
function leavesOf(kernels: readonly KernelInfo[], depths: readonly number[]): Array<{ index: number; top: string }> {
  const leaves: Array<{ index: number; top: string }> = [];
  let top = '';
  // children are recorded before their parent: scanning backwards, a top-level kernel comes before its children
  for (let i = kernels.length - 1; i >= 0; i--) {
    const depth = depths[i] ?? 0;
    if (depth === 0) top = kernels[i]!.name;
    const parent = i > 0 && (depths[i - 1] ?? 0) > depth;
    if (!parent) leaves.push({ index: i, top: depth === 0 ? '' : top });
  }
  return leaves.reverse();
}

export function breakdown(
  allKernels: readonly KernelInfo[],
  depths: readonly number[],
  marks: readonly PhaseMark[],
): Breakdown {
  const ms = (k: KernelInfo): number => k.kernelTimeMs as number;
  const leaves = leavesOf(allKernels, depths);
  const kernels = leaves.map((l) => allKernels[l.index]!);
  const topLevel = allKernels.filter((_, i) => (depths[i] ?? 0) === 0);
  const byPhase = new Map<string, { key: string; count: number; ms: number; categories: Record<string, number> }>();
  for (const mark of marks) byPhase.set(mark.phase, { key: mark.phase, count: 0, ms: 0, categories: {} });
  kernels.forEach((k, i) => {
    const phase = phaseOf(leaves[i]!.index, marks);
    const entry = byPhase.get(phase) ?? { key: phase, count: 0, ms: 0, categories: {} };
    entry.count += 1;
    entry.ms += ms(k);
    const category = categoryOf(k.name);
    entry.categories[category] = (entry.categories[category] ?? 0) + ms(k);
    byPhase.set(phase, entry);
  });
  const stages = new Map<string, { key: string; count: number; ms: number; convMs: number }>();
  for (const k of kernels) {
    const stage = stageOf(k);
    if (!stage) continue;
    const entry = stages.get(stage) ?? { key: stage, count: 0, ms: 0, convMs: 0 };
    entry.count += 1;
    entry.ms += ms(k);
    if (categoryOf(k.name) === 'convolution') entry.convMs += ms(k);
    stages.set(stage, entry);
  }
  return {
    kernels: kernels.length,
    topLevelKernels: topLevel.length,
    kernelMs: kernels.reduce((sum, k) => sum + ms(k), 0),
    topLevelMs: topLevel.reduce((sum, k) => sum + ms(k), 0),
    outputMB: kernels.reduce((sum, k) => sum + bytesOf(k.outputShapes), 0) / 2 ** 20,
    byCategory: tally(kernels.map((k) => ({ key: categoryOf(k.name), ms: ms(k) }))),
    byPhase: [...byPhase.values()],
    byStage: [...stages.values()].sort((a, b) => b.ms - a.ms),
    convolutions: [
      ...kernels
        .reduce((map, k, i) => {
          if (categoryOf(k.name) !== 'convolution') return map;
          const key = leaves[i]!.top || k.name;
          const entry = map.get(key) ?? { key, count: 0, ms: 0, gflop: 0 };
          entry.count += 1;
          entry.ms += ms(k);
          entry.gflop += convFlops(k) / 1e9;
          return map.set(key, entry);
        }, new Map<string, { key: string; count: number; ms: number; gflop: number }>())
        .values(),
    ],
    slowestKernels: tally(
      kernels.map((k, i) => {
        const name = leaves[i]!.top ? `${k.name} (in ${leaves[i]!.top})` : k.name;
        return { key: `${phaseOf(leaves[i]!.index, marks)}: ${name}`, ms: ms(k) };
      }),
    ).slice(0, 20),
  };
}
