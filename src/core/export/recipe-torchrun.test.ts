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
import { parseSafetensors } from '../../protocol/safetensors';
import { tinyConfig, tinyModel } from '../train/test-fixtures';
import { loadOptimizerSafetensors, optimizerSafetensors } from './optimizer-safetensors';
import { checkEncoderWeights, encoderSafetensors, headSafetensors } from './torchvision-weights';

const PYTHON = '/usr/bin/python3';
const TRAIN = fileURLToPath(new URL('../../../pytorch/recipe/train.py', import.meta.url));
const SAMPLES = fileURLToPath(new URL('../../../public/sample/fashion-mnist', import.meta.url));
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, torchvision'], { stdio: 'ignore' }).status === 0;
if (!hasTorch)
  console.warn(
    `Recipe torchrun test skipped: ${PYTHON} cannot import torch and torchvision (apt-get install python3-torch python3-torchvision).`,
  );

describe.skipIf(!hasTorch)('PyTorch recipe under torchrun', () => {
  const root = mkdtempSync(join(tmpdir(), 'simclr-torchrun-'));
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('2 processes train 2 steps from the downloaded state and write a checkpoint the app reads', async () => {
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
      PYTHON,
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
    const encoder = new Uint8Array(readFileSync(join(checkpoint, 'encoder.safetensors')));
    checkEncoderWeights(encoder, config, 'encoder.safetensors');
    const before = parseSafetensors(new Uint8Array(readFileSync(join(weights, 'encoder.safetensors'))));
    expect(parseSafetensors(encoder).tensors.size).toBe(before.tensors.size);
    const slots = new Uint8Array(readFileSync(join(checkpoint, 'optimizer.safetensors')));
    loadOptimizerSafetensors(model, config, optimizer, slots, parseSafetensors(slots));
    expect(optimizer.stepCount()).toBe(2);
    const moments = await Promise.all(optimizer.slots().map((s) => s.data()));
    expect(Math.max(...moments.map((m) => Math.max(...m.map(Math.abs))))).toBeGreaterThan(0);
    model.dispose();
    optimizer.dispose();
  }, 150_000);
});
