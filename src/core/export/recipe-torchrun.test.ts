/// <reference types="node" />
/**
 * The recipe trains with DistributedDataParallel: `torchrun --nproc_per_node=2` (gloo, CPU) runs 2 steps
 * on sample images from the state the app downloads, and writes a checkpoint our readers take back.
 * Needs /usr/bin/python3 with torch and torchvision (apt-get install python3-torch python3-torchvision).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRecipeConfig, recipeConfig } from '../../protocol/recipe-config';
import { parseSafetensors, readFloat32 } from '../../protocol/safetensors';
import { trainingStateFromRecipe } from '../checkpoint/from-recipe';
import { restoreTrainingState } from '../checkpoint/training-state';
import { embedPixels } from '../eval/embed';
import { maxAbsDiff } from '../testing/max-abs-diff';
import { hasTorch, TORCH_PYTHON } from '../testing/torch-python';
import { tinyConfig, tinyModel } from '../train/test-fixtures';
import { optimizerSafetensors } from './optimizer-safetensors';
import { encoderSafetensors, headSafetensors } from './torchvision-weights';

const TRAIN = fileURLToPath(new URL('../../../pytorch/recipe/train.py', import.meta.url));
const DDP_CHECK = fileURLToPath(new URL('../../../pytorch/recipe_ddp_check.py', import.meta.url));
const SAMPLES = fileURLToPath(new URL('../../../public/sample/fashion-mnist', import.meta.url));
const torchFound = hasTorch('Recipe torchrun test');

describe.skipIf(!torchFound)('PyTorch recipe under torchrun', () => {
  const root = mkdtempSync(join(tmpdir(), 'simclr-torchrun-'));
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('2 processes train 2 steps from the downloaded state and write a checkpoint that Import restores', async () => {
    const config = tinyConfig({ optimizer: 'adam', projectionHead: 'v2', duration: { unit: 'steps', value: 50 } });
    const { model, optimizer } = tinyModel(config);
    const files = readdirSync(join(SAMPLES, 'bag'))
      .slice(0, 8)
      .map((f) => `bag/${f}`)
      .concat(
        readdirSync(join(SAMPLES, 'coat'))
          .slice(0, 8)
          .map((f) => `coat/${f}`),
      );
    const weights = join(root, 'weights');
    mkdirSync(weights);
    writeFileSync(join(weights, 'encoder.safetensors'), await encoderSafetensors(model, config, 0));
    writeFileSync(join(weights, 'head.safetensors'), await headSafetensors(model, config, 0));
    writeFileSync(join(weights, 'optimizer.safetensors'), await optimizerSafetensors(model, config, optimizer));
    writeFileSync(join(root, 'config.json'), JSON.stringify(recipeConfig(config, 16, 0, files.length)));
    writeFileSync(join(root, 'files.txt'), `${files.join('\n')}\n`);
    // --redirects 1 --tee 1: torch 1.13's default "0" parses to None on Python 3.11 (its Std flag lookup skips 0).
    const launcher = ['--redirects', '1', '--tee', '1', '--log_dir', join(root, 'logs')];
    const args = ['-m', 'torch.distributed.run', '--standalone', '--nproc_per_node=2', ...launcher, TRAIN];
    const options = ['--data', SAMPLES, '--config', join(root, 'config.json'), '--files', join(root, 'files.txt')];
    const run = spawnSync(
      TORCH_PYTHON,
      [
        ...args,
        ...options,
        '--weights',
        weights,
        '--out',
        join(root, 'out'),
        '--max-steps',
        '2',
        '--workers',
        '0',
        '--log-every',
        '1',
      ],
      { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' }, timeout: 120_000 },
    );
    if (run.status !== 0) throw new Error(`torchrun failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
    expect(run.stdout).toMatch(/16 images, 2 process\(es\) on cpu, steps 0 -> 2 of 50/);
    const losses = [...run.stdout.matchAll(/"loss": ([\d.]+)/g)].map((m) => Number(m[1]));
    expect(losses.length).toBe(2);
    for (const loss of losses) expect(loss).toBeGreaterThan(0);

    const checkpoint = join(root, 'out', 'step-000002');
    expect(existsSync(join(root, 'out', 'step-000001'))).toBe(false);
    const saved = parseRecipeConfig(readFileSync(join(checkpoint, 'config.json'), 'utf8'), 'config.json');
    expect(saved.step).toBe(2);
    expect(saved.train).toEqual(config);
    expect(readFileSync(join(checkpoint, 'files.txt'), 'utf8')).toBe(`${files.join('\n')}\n`);
    const read = (name: string) => Uint8Array.from(readFileSync(join(checkpoint, name))).buffer as ArrayBuffer;
    // What Import does with the zipped folder (client/recipe/read-recipe.ts, worker/checkpoints).
    const state = await trainingStateFromRecipe(
      {
        config: readFileSync(join(checkpoint, 'config.json'), 'utf8'),
        encoder: read('encoder.safetensors'),
        head: read('head.safetensors'),
        optimizer: read('optimizer.safetensors'),
        fileList: readFileSync(join(checkpoint, 'files.txt'), 'utf8'),
      },
      'fp',
    );
    expect(state.step).toBe(2);
    expect(state.optimizer.stepCount).toBe(2);
    const restored = tinyModel(config);
    restoreTrainingState(state, restored);
    const images = Uint8Array.from({ length: 4 * 8 * 8 * 3 }, (_, k) => (k * 37) % 256);
    const h = await embedPixels(restored.model.encoderModel, images, 4, 8);
    expect(h.length).toBe(4 * restored.model.encoder.representationDim);
    expect(h.every(Number.isFinite)).toBe(true);
    const start = parseSafetensors(new Uint8Array(readFileSync(join(weights, 'encoder.safetensors'))));
    const end = new Uint8Array(read('encoder.safetensors'));
    const before = readFloat32(
      new Uint8Array(readFileSync(join(weights, 'encoder.safetensors'))),
      start,
      'conv1.weight',
    );
    expect(maxAbsDiff(before, readFloat32(end, parseSafetensors(end), 'conv1.weight'))).toBeGreaterThan(1e-5);
    restored.model.dispose();
    restored.optimizer.dispose();
    model.dispose();
    optimizer.dispose();
  }, 150_000);

  it('a DDP step on 2 processes equals a one-process step on the whole batch (negatives gathered, gradients whole)', () => {
    const launcher = ['--redirects', '1', '--tee', '1', '--log_dir', join(root, 'ddp-logs')];
    const run = spawnSync(
      TORCH_PYTHON,
      ['-m', 'torch.distributed.run', '--standalone', '--nproc_per_node=2', ...launcher, DDP_CHECK, 'sgd', '1'],
      { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' }, timeout: 120_000 },
    );
    if (run.status !== 0) throw new Error(`torchrun failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
    const line = run.stdout.split('\n').find((l) => l.includes('loss_diff'));
    const result = JSON.parse(line!.slice(line!.indexOf('{'))) as {
      world: number;
      loss_diff: number;
      param_max_abs_diff: number;
    };
    console.info(`recipe DDP vs one process: ${JSON.stringify(result)}`);
    expect(result.world).toBe(2);
    expect(result.loss_diff).toBeLessThan(1e-6);
    // Without the gradient's all-reduce in GatherLayer this is 4e-4; with it, float32 rounding (1e-8).
    expect(result.param_max_abs_diff).toBeLessThan(1e-6);
  }, 150_000);
});
