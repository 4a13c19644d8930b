/// <reference types="node" />
/**
 * One step of the PyTorch recipe (pytorch/recipe_step.py, the step of pytorch/recipe/train.py) equals one
 * step of our engine: same weights and optimizer state (written as the download writes them), same
 * views, same learning rate -> loss, updated parameters and optimizer slots within 1e-4. Needs
 * /usr/bin/python3 with torch (apt-get install python3-torch python3-torchvision).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OptimizerName, TrainConfig } from '../../protocol/config';
import { recipeConfig } from '../../protocol/recipe-config';
import { parseSafetensors, readFloat32 } from '../../protocol/safetensors';
import { Rng } from '../random/rng';
import { maxAbsDiff } from '../testing/max-abs-diff';
import { hasTorch, TORCH_PYTHON } from '../testing/torch-python';
import { tinyConfig, tinyModel } from '../train/test-fixtures';
import { trainStep } from '../train/train-step';
import { optimizerSafetensors } from './optimizer-safetensors';
import { encoderSafetensors, headSafetensors, torchvisionParams } from './torchvision-weights';

const SCRIPT = fileURLToPath(new URL('../../../pytorch/recipe_step.py', import.meta.url));
const torchFound = hasTorch('Recipe parity tests');
const TOLERANCE = 1e-4;

function randomViews(count: number, size: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: count * size * size * 3 }, () => 4 * rng.next() - 2);
}

async function writeState(dir: string, files: { encoder: Uint8Array; head: Uint8Array; optimizer: Uint8Array }) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'encoder.safetensors'), files.encoder);
  writeFileSync(join(dir, 'head.safetensors'), files.head);
  writeFileSync(join(dir, 'optimizer.safetensors'), files.optimizer);
}

function readTensors(path: string): Map<string, Float32Array> {
  const bytes = new Uint8Array(readFileSync(path));
  const header = parseSafetensors(bytes);
  const out = new Map<string, Float32Array>();
  for (const [name, info] of header.tensors) if (info.dtype === 'F32') out.set(name, readFloat32(bytes, header, name));
  return out;
}

describe.skipIf(!torchFound)('PyTorch recipe step parity', () => {
  const root = mkdtempSync(join(tmpdir(), 'simclr-recipe-'));
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const cases: Array<[OptimizerName, Partial<TrainConfig>]> = [
    ['adam', { projectionHead: 'v1' }],
    ['sgd', { projectionHead: 'v2' }],
    ['lars', { projectionHead: 'v2' }],
  ];
  it.each(cases)('%s (head %o): loss, parameters and slots after a step from a mid-run state', async (name, over) => {
    const config = tinyConfig({ optimizer: name, weightDecay: 0.05, temperature: 0.5, ...over });
    const { model, optimizer } = tinyModel(config);
    const { batchSize: b, imageSize: s } = config;
    const step = (seed: number, learningRate: number) => {
      const views = randomViews(2 * b, s, seed);
      const out = trainStep(
        model,
        optimizer,
        { temperature: config.temperature, learningRate, augment: () => tf.tensor4d(views, [2 * b, s, s, 3]) },
        false,
      );
      return { views, loss: out.loss };
    };
    // A first step makes the slots non-zero and Adam's step count 1: the recipe resumes from there.
    step(1, 0.05).loss.dispose();
    const dir = join(root, name);
    await writeState(join(dir, 'weights'), {
      encoder: await encoderSafetensors(model, config, 1),
      head: await headSafetensors(model, config, 1),
      optimizer: await optimizerSafetensors(model, config, optimizer),
    });
    const learningRate = 0.03;
    const { views, loss } = step(2, learningRate);
    const ours = (await loss.data())[0]!;
    loss.dispose();
    writeFileSync(join(dir, 'config.json'), JSON.stringify(recipeConfig(config, 8, 1, b)));
    writeFileSync(join(dir, 'step.json'), JSON.stringify({ learningRate }));
    writeFileSync(join(dir, 'views.f32'), new Uint8Array(views.buffer));
    const result = JSON.parse(execFileSync(TORCH_PYTHON, [SCRIPT, dir], { encoding: 'utf8' })) as { loss: number };

    const theirs = new Map([
      ...readTensors(join(dir, 'after', 'encoder.safetensors')),
      ...[...readTensors(join(dir, 'after', 'head.safetensors'))].map(([k, v]) => [`head.${k}`, v] as const),
    ]);
    const theirSlots = readTensors(join(dir, 'after', 'optimizer.safetensors'));
    const oursAfter = await encoderSafetensors(model, config, 2);
    const oursHead = await headSafetensors(model, config, 2);
    const oursSlots = await optimizerSafetensors(model, config, optimizer);
    writeFileSync(join(dir, 'ours-encoder.safetensors'), oursAfter);
    writeFileSync(join(dir, 'ours-head.safetensors'), oursHead);
    writeFileSync(join(dir, 'ours-optimizer.safetensors'), oursSlots);
    const mine = new Map([
      ...readTensors(join(dir, 'ours-encoder.safetensors')),
      ...[...readTensors(join(dir, 'ours-head.safetensors'))].map(([k, v]) => [`head.${k}`, v] as const),
    ]);
    const mySlots = readTensors(join(dir, 'ours-optimizer.safetensors'));
    let weightDiff = 0;
    let slotDiff = 0;
    let moved = 0;
    const params = torchvisionParams(model, config).map((p) => p.name.replace(/^encoder\./, ''));
    for (const key of params) {
      weightDiff = Math.max(weightDiff, maxAbsDiff(mine.get(key)!, theirs.get(key)!));
    }
    for (const [key, value] of mySlots) {
      slotDiff = Math.max(slotDiff, maxAbsDiff(value, theirSlots.get(key)!));
      moved = Math.max(moved, ...value.map(Math.abs));
    }
    console.info(
      `recipe parity ${name}: loss ${ours.toFixed(6)} vs ${result.loss.toFixed(6)}, max abs diff params ${weightDiff.toExponential(2)}, slots ${slotDiff.toExponential(2)}`,
    );
    expect(params.length).toBeGreaterThan(10);
    expect(moved).toBeGreaterThan(1e-4);
    expect(Math.abs(ours - result.loss)).toBeLessThan(TOLERANCE);
    expect(weightDiff).toBeLessThan(TOLERANCE);
    expect(slotDiff).toBeLessThan(TOLERANCE);
    model.dispose();
    optimizer.dispose();
  });
});
