import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmConv2dFilterGrad } from '../../../src/core/backend/conv2d-grad-in-ops';
import { ImageStore } from '../../../src/core/data/image-store';
import { embedPixels } from '../../../src/core/eval/embed';
import { weightedKnnAccuracy } from '../../../src/core/eval/knn';
import { buildSimclrModel } from '../../../src/core/train/simclr-model';
import type { TrainConfig } from '../../../src/protocol/config';
import type { WorkerEvent } from '../../../src/protocol/messages';
import { TrainingRun } from '../../../src/worker/training-run';
import type { LabelledImages } from './fashion-mnist';

/** The same engine as the browser (TrainingRun and everything under it), on tfjs's wasm backend in Node. */
export async function useWasmBackend(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
  registerWasmConv2dFilterGrad();
}

function l2Rows(x: Float32Array, rows: number): tf.Tensor2D {
  return tf.tidy(() => {
    const t = tf.tensor2d(x, [rows, x.length / rows]);
    return tf.div(t, tf.maximum(tf.norm(t, 'euclidean', 1, true), 1e-12));
  });
}

/** Weighted kNN (k=200, t=0.1) of l2-normalized features: bank = training slice, queries = test slice. */
export function knnAccuracy(
  bank: Float32Array,
  train: LabelledImages,
  queries: Float32Array,
  test: LabelledImages,
): number {
  return tf.tidy(() => {
    const accuracy = weightedKnnAccuracy(
      l2Rows(bank, train.count),
      tf.tensor1d(train.labels, 'int32'),
      l2Rows(queries, test.count),
      tf.tensor1d(test.labels, 'int32'),
      10,
      200,
    );
    return accuracy.dataSync()[0]!;
  });
}

async function embedAll(model: tf.LayersModel, images: LabelledImages, chunk = 500): Promise<Float32Array> {
  const perImage = images.side * images.side * 3;
  const parts: Float32Array[] = [];
  for (let start = 0; start < images.count; start += chunk) {
    const n = Math.min(chunk, images.count - start);
    parts.push(await embedPixels(model, images.rgb.subarray(start * perImage, (start + n) * perImage), n, images.side));
  }
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export interface OursResult {
  losses: number[];
  knn: number;
  knnRandomInit: number;
  seconds: number;
}

export async function trainOurs(config: TrainConfig, train: LabelledImages, test: LabelledImages): Promise<OursResult> {
  const untrained = buildSimclrModel(config);
  const knnRandomInit = knnAccuracy(
    await embedAll(untrained.encoderModel, train),
    train,
    await embedAll(untrained.encoderModel, test),
    test,
  );
  untrained.dispose();

  const store = new ImageStore(train.side, train.count);
  const perImage = train.side * train.side * 3;
  for (let i = 0; i < train.count; i++) store.add(train.rgb.subarray(i * perImage, (i + 1) * perImage), `train/${i}`);
  const losses: number[] = [];
  const run = new TrainingRun(config, store, (event: WorkerEvent) => {
    if (event.type === 'metrics') losses.push(...Array.from(event.losses, (v) => Math.round(v * 1e6) / 1e6));
  });
  const started = performance.now();
  await run.run();
  const seconds = (performance.now() - started) / 1000;
  const knn = knnAccuracy(
    await embedAll(run.model.encoderModel, train),
    train,
    await embedAll(run.model.encoderModel, test),
    test,
  );
  run.dispose();
  return { losses, knn, knnRandomInit, seconds };
}

/** Raw pixels as features (normalized bytes, flattened): the floor any encoder should beat. */
export function knnRawPixels(train: LabelledImages, test: LabelledImages): number {
  const toFloat = (images: LabelledImages) => Float32Array.from(images.rgb, (v) => v / 255 - 0.5);
  return knnAccuracy(toFloat(train), train, toFloat(test), test);
}
