/**
 * Per-layer ms of the wasm input gradient's filter flip, old against new, alternated call by call, at the
 * layer shapes of both CPU cases (issue #18): Reverse (old) against flippedFilter (conv2d-grad-matmul.ts).
 * (A 1x1 stride-2 input gradient as one matMul spread into
 * the grid by Pad measured no faster than the convolution over zero-dilated dy, so it was not kept.)
 * Env: THREADS (default 2), BATCH (views, default 64; 256 for ResNet-18 b128), WIDTH (first stage width,
 * default 16; 16 for both x0.5 small and x0.25 ResNet-18), REPS (default 5), K (only KxK layers). Run by hand:
 *   THREADS=2 npx vitest run -c e2e/bench/cpu/vitest.config.ts conv-grad
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { it } from 'vitest';
import { flippedFilter } from '../../../src/core/backend/conv2d-grad-matmul';
import { startThreadedWasmInNode } from './node-wasm-threads';

const THREADS = Number(process.env.THREADS ?? 2);
const BATCH = Number(process.env.BATCH ?? 64);
const WIDTH = Number(process.env.WIDTH ?? 16);
const REPS = Number(process.env.REPS ?? 5);
const ONLY_K = process.env.K === undefined ? undefined : Number(process.env.K);

interface Layer {
  name: string;
  x: [number, number, number, number];
  k: number;
  cout: number;
  s: number;
}

function layers(): Layer[] {
  const out: Layer[] = [{ name: 'stem 3x3', x: [BATCH, 32, 32, 3], k: 3, cout: WIDTH, s: 1 }];
  for (let stage = 0; stage < 4; stage++) {
    const c = WIDTH << stage;
    const px = 32 >> stage;
    if (stage > 0) {
      // Strided convs see the explicitly padded input with 'valid' (resnet.ts).
      out.push({ name: `s${stage} 3x3 s2`, x: [BATCH, 2 * px + 2, 2 * px + 2, c / 2], k: 3, cout: c, s: 2 });
      out.push({ name: `s${stage} 1x1 s2`, x: [BATCH, 2 * px, 2 * px, c / 2], k: 1, cout: c, s: 2 });
    }
    out.push({ name: `s${stage} 3x3 s1`, x: [BATCH, px, px, c], k: 3, cout: c, s: 1 });
  }
  return out;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function timed(f: () => tf.Tensor): Promise<number> {
  const t0 = performance.now();
  const r = f();
  await r.data();
  const ms = performance.now() - t0;
  r.dispose();
  return ms;
}

async function compare(label: string, variants: Array<() => tf.Tensor>): Promise<number[]> {
  const ms: number[][] = variants.map(() => []);
  for (let r = 0; r <= REPS; r++)
    for (let v = 0; v < variants.length; v++) {
      const t = await timed(variants[v]!);
      if (r > 0) ms[v]!.push(t);
    }
  const m = ms.map(median);
  const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(variants[0]!(), variants[1]!()))).dataSync()[0]!);
  console.log(
    `  ${label.padEnd(12)} old ${m[0]!.toFixed(1)} ms, new ${m[1]!.toFixed(1)} ms (max diff ${diff.toExponential(1)})`,
  );
  return m;
}

it('conv gradients per layer: old vs new', async () => {
  if (THREADS > 1) startThreadedWasmInNode(THREADS);
  await tf.setBackend('wasm');
  console.log(`wasm, ${THREADS} threads, batch ${BATCH} views, width ${WIDTH}, median of ${REPS} (alternated)`);
  const totals = [0, 0];
  // Only the 3x3 layers' filters are flipped with a matMul; the flip does not depend on the batch.
  for (const l of layers().filter((layer) => layer.k > 1 && (ONLY_K === undefined || layer.k === ONLY_K))) {
    const f = tf.randomNormal([l.k, l.k, l.x[3], l.cout]) as tf.Tensor4D;
    console.log(`${l.name}: x ${l.x.join('x')} -> ${l.cout}`);
    const m = await compare('filter flip', [
      () => tf.transpose(tf.reverse(f, [0, 1]), [0, 1, 3, 2]),
      () => flippedFilter(f),
    ]);
    for (let i = 0; i < 2; i++) totals[i]! += m[i]!;
    f.dispose();
  }
  console.log(`total of the changed parts: old ${totals[0]!.toFixed(1)} ms, new ${totals[1]!.toFixed(1)} ms`);
});
