import * as tf from '@tensorflow/tfjs';
import { type CustomKernel, runReplacedKernel } from './registry';

/** Id in the kernel registry. */
export const WASM_COPIES_ID = 'wasm-copies';

/**
 * tfjs-backend-wasm 4.22 runs Slice, SplitV, Unpack and Concat in JavaScript, and two habits make them cost far
 * more than the bytes they move (measured in e2e/bench/cpu/wasm-copies.measure.ts); its C++ GatherV2 moves
 * one element at a time (53 ms to gather 1.2M floats of augmentation rows), which runs of whole rows avoid:
 * - Slice first copies the WHOLE input out of the wasm heap (`backend.readSync`, a `HEAPU8.slice`), so every
 *   slice, and every output of SplitV and Unpack (which call it once per output), pays for the whole tensor;
 * - both copy one innermost row at a time through `subarray()` + `set()`, a new typed-array object per row, so
 *   a crop of [64, 32, 32, 32] to 31 x 31 makes 61,504 calls and a channel split or concat one call per pixel.
 * These replacements read the heap in place and copy each contiguous run (the trailing axes a slice keeps
 * whole are merged into one run) with `set()` when it is long and a plain loop when it is short. Results are
 * the same copies, bit for bit; strings (and a gather with batchDims) go to the stock kernels.
 */

interface WasmBackendHeap {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}
type HeapArray = Float32Array | Int32Array | Uint8Array;

/** Runs at least this long are copied with set(); shorter ones element by element (set() costs ~1 us a call). */
const SET_MIN_RUN = 64;

function copyRun(dst: HeapArray, dstAt: number, src: HeapArray, srcAt: number, length: number): void {
  if (length >= SET_MIN_RUN) {
    dst.set(src.subarray(srcAt, srcAt + length), dstAt);
    return;
  }
  for (let i = 0; i < length; i++) dst[dstAt + i] = src[srcAt + i]!;
}

const product = (xs: readonly number[], from = 0, to = xs.length): number => {
  let p = 1;
  for (let i = from; i < to; i++) p *= xs[i]!;
  return p;
};

/**
 * Copies the box `begin`..`begin + size` of `src` (shape `shape`, row-major) into `dst` from `dstAt`: the axes
 * after the last one the box cuts are one contiguous run per position of the axes before it.
 */
export function copyBox(
  src: HeapArray,
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
  dst: HeapArray,
  dstAt = 0,
): void {
  let cut = shape.length - 1;
  while (cut >= 0 && size[cut] === shape[cut]) cut--;
  if (cut < 0) {
    copyRun(dst, dstAt, src, 0, product(shape));
    return;
  }
  const inner = product(shape, cut + 1);
  const run = size[cut]! * inner;
  const strides = shape.map((_, d) => product(shape, d + 1));
  const runs = product(size, 0, cut);
  if (runs === 0 || run === 0) return;
  // An odometer over the axes before `cut`.
  const index = new Array<number>(cut).fill(0);
  let srcAt = begin[cut]! * inner;
  for (let d = 0; d < cut; d++) srcAt += begin[d]! * strides[d]!;
  for (let r = 0; r < runs; r++) {
    copyRun(dst, dstAt, src, srcAt, run);
    dstAt += run;
    for (let d = cut - 1; d >= 0; d--) {
      index[d]!++;
      srcAt += strides[d]!;
      if (index[d]! < size[d]!) break;
      srcAt -= size[d]! * strides[d]!;
      index[d] = 0;
    }
  }
}

function sliceInPlace(backend: WasmBackendHeap, x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  // Views are taken after makeOutput: a malloc that grows the heap detaches earlier views.
  copyBox(backend.typedArrayFromHeap(x), x.shape, begin, size, backend.typedArrayFromHeap(out));
  return out;
}

/** Strings go to the stock kernel our override replaced (the registry keeps it). */
const delegate = (name: string, args: Parameters<tf.KernelFunc>[0]) => runReplacedKernel(name, 'wasm', args);

const sliceKernel: tf.KernelFunc = (args) => {
  const x = args.inputs.x as tf.TensorInfo;
  if (x.dtype === 'string') return delegate(tf.Slice, args);
  const attrs = args.attrs as unknown as tf.SliceAttrs;
  const [begin, size] = tf.slice_util.parseSliceParams(x, attrs.begin, attrs.size) as [number[], number[]];
  return sliceInPlace(args.backend as unknown as WasmBackendHeap, x, begin, size);
};

const splitVKernel: tf.KernelFunc = (args) => {
  const x = args.inputs.x as tf.TensorInfo;
  if (x.dtype === 'string') return delegate(tf.SplitV, args);
  const { numOrSizeSplits, axis } = args.attrs as unknown as tf.SplitVAttrs;
  const along = tf.util.parseAxisParam(axis, x.shape)[0]!;
  const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, along);
  const backend = args.backend as unknown as WasmBackendHeap;
  const begin = new Array<number>(x.shape.length).fill(0);
  return sizes.map((s) => {
    const size = [...x.shape];
    size[along] = s;
    const part = sliceInPlace(backend, x, begin, size);
    begin[along]! += s;
    return part;
  });
};

const unpackKernel: tf.KernelFunc = (args) => {
  const value = args.inputs.value as tf.TensorInfo;
  if (value.dtype === 'string') return delegate(tf.Unpack, args);
  const rank = value.shape.length;
  const along = ((args.attrs as unknown as tf.UnpackAttrs).axis + rank) % rank;
  const outShape = value.shape.filter((_, d) => d !== along);
  const backend = args.backend as unknown as WasmBackendHeap;
  const begin = new Array<number>(rank).fill(0);
  const size = [...value.shape];
  size[along] = 1;
  return Array.from({ length: value.shape[along]! }, (_, i) => {
    begin[along] = i;
    const part = sliceInPlace(backend, value, begin, size);
    return { dataId: part.dataId, dtype: part.dtype, shape: outShape };
  });
};

const concatKernel: tf.KernelFunc = (args) => {
  const inputs = args.inputs as unknown as tf.TensorInfo[];
  const first = inputs[0]!;
  const along = tf.util.parseAxisParam((args.attrs as unknown as tf.ConcatAttrs).axis, first.shape)[0]!;
  const parts = inputs.filter((t) => tf.util.sizeFromShape(t.shape) > 0);
  if (first.dtype === 'string' || parts.length < 2) return delegate(tf.Concat, args);
  tf.backend_util.assertParamsConsistent(
    inputs.map((t) => t.shape),
    along,
  );
  const backend = args.backend as unknown as WasmBackendHeap;
  const out = backend.makeOutput(
    tf.backend_util.computeOutShape(
      inputs.map((t) => t.shape),
      along,
    ),
    first.dtype,
  );
  const dst = backend.typedArrayFromHeap(out);
  const outer = product(first.shape, 0, along);
  const widths = parts.map((t) => product(t.shape, along));
  const rowWidth = widths.reduce((a, b) => a + b, 0);
  let offset = 0;
  parts.forEach((t, i) => {
    const src = backend.typedArrayFromHeap(t);
    const width = widths[i]!;
    for (let row = 0; row < outer; row++) copyRun(dst, row * rowWidth + offset, src, row * width, width);
    offset += width;
  });
  return out;
};

/** Gather along one axis (batchDims 0): one run of the trailing axes per (leading position, index). */
const gatherKernel: tf.KernelFunc = (args) => {
  const { x, indices } = args.inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
  const { axis, batchDims } = args.attrs as unknown as tf.GatherV2Attrs;
  if (x.dtype === 'string' || (batchDims ?? 0) !== 0) return delegate(tf.GatherV2, args);
  const along = tf.util.parseAxisParam(axis, x.shape)[0]!;
  const outer = product(x.shape, 0, along);
  const dim = x.shape[along]!;
  const inner = product(x.shape, along + 1);
  const backend = args.backend as unknown as WasmBackendHeap;
  const out = backend.makeOutput([...x.shape.slice(0, along), ...indices.shape, ...x.shape.slice(along + 1)], x.dtype);
  const index = backend.typedArrayFromHeap(indices);
  for (const i of index)
    if (!(i >= 0 && i < dim)) throw new Error(`GatherV2: the index value ${i} is not in [0, ${dim - 1}]`);
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const count = index.length;
  for (let o = 0; o < outer; o++)
    for (let j = 0; j < count; j++) copyRun(dst, (o * count + j) * inner, src, (o * dim + index[j]!) * inner, inner);
  return out;
};

/**
 * Identity (tf.clone; tfjs clones every tensor a customGrad saves, 140 a ResNet-18 step) shares the data, as
 * the CPU, WebGL and WebGPU backends do: tfjs tensors are never written in place. Stock wasm copies them.
 */
const identityKernel: tf.KernelFunc = ({ inputs, backend }) => {
  const { x } = inputs as { x: tf.TensorInfo };
  if (x.dtype === 'string') return delegate(tf.Identity, { inputs, backend, attrs: {} });
  (backend as tf.KernelBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

const kernelConfigs: readonly tf.KernelConfig[] = [
  { kernelName: tf.Identity, backendName: 'wasm', kernelFunc: identityKernel },
  { kernelName: tf.Slice, backendName: 'wasm', kernelFunc: sliceKernel },
  { kernelName: tf.SplitV, backendName: 'wasm', kernelFunc: splitVKernel },
  { kernelName: tf.Unpack, backendName: 'wasm', kernelFunc: unpackKernel },
  { kernelName: tf.Concat, backendName: 'wasm', kernelFunc: concatKernel },
  { kernelName: tf.GatherV2, backendName: 'wasm', kernelFunc: gatherKernel },
];

export const wasmCopyKernel: CustomKernel = {
  id: WASM_COPIES_ID,
  summary:
    'Slice, SplitV, Unpack, Concat and GatherV2 on wasm reading the heap in place, one copy per contiguous run; Identity shared',
  backendName: 'wasm',
  overrides: kernelConfigs,
};
