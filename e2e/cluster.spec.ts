import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { hasTorch, TORCH_PYTHON } from '../src/core/testing/torch-python';
import { TINY_RUN } from './pages/TrainPanel';
import { expect, test } from './support/app';
import { SHAPES_DIR, SHAPES_PNG_COUNT } from './support/fixtures';

test.use({ appQuery: '?backend=cpu' });

const torchFound = hasTorch('The recipe run in the cluster spec', ['PIL']);
const RUN = { ...TINY_RUN, trainFor: 8 };

test('"Continue on GPUs (PyTorch)" downloads a folder train.py continues; its checkpoint imports back and trains on', async ({
  app,
}) => {
  test.setTimeout(240_000);
  const { data, train, exporter, runs } = app;
  await data.loadFolder(SHAPES_DIR);
  await data.expectCount(SHAPES_PNG_COUNT);
  await train.configure(RUN);
  await train.clickWhenStepReaches(4, 'Pause');
  await train.startButton.click();
  await train.expectPhase('paused');
  const pausedAt = await train.step();

  const download = await exporter.downloadRecipe();
  const folder = `simclr-pytorch-resnet-small-step${pausedAt}`;
  expect(download.name).toBe(`${folder}.zip`);
  const root = mkdtempSync(join(tmpdir(), 'simclr-cluster-e2e-'));
  try {
    for (const [path, bytes] of Object.entries(unzipSync(new Uint8Array(download.bytes)))) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), bytes);
    }
    const dir = join(root, folder);
    expect(readdirSync(join(dir, 'weights')).sort()).toEqual([
      'encoder.safetensors',
      'head.safetensors',
      'optimizer.safetensors',
    ]);
    expect(readdirSync(join(dir, 'simclr_tab'))).toContain('ntxent.py');
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ format: 'simclr-tab-recipe', step: pausedAt, imageCount: SHAPES_PNG_COUNT });
    expect(readFileSync(join(dir, 'files.txt'), 'utf8').trim().split('\n')).toHaveLength(SHAPES_PNG_COUNT);
    test.skip(!torchFound, `${TORCH_PYTHON} cannot import torch, torchvision and PIL: the folder is not run`);

    const run = spawnSync(
      TORCH_PYTHON,
      [join(dir, 'train.py'), '--data', SHAPES_DIR, '--max-steps', '2', '--workers', '0'],
      {
        encoding: 'utf8',
        env: { ...process.env, OMP_NUM_THREADS: '1' },
        timeout: 120_000,
      },
    );
    if (run.status !== 0) throw new Error(`train.py failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
    const step = pausedAt + 2;
    const checkpoint = join(dir, 'checkpoints', `step-${String(step).padStart(6, '0')}`);
    const zipped = zipSync(
      Object.fromEntries(
        readdirSync(checkpoint).map((f) => [`step-${step}/${f}`, new Uint8Array(readFileSync(join(checkpoint, f)))]),
      ),
    );
    const zipPath = join(root, 'checkpoint.zip');
    writeFileSync(zipPath, zipped);
    // Import replaces the current run: this one ends first, as a person would end it.
    await train.stopButton.click();
    await train.expectPhase('stopped');
    await runs.importFile(zipPath);
    await expect(runs.status).toContainText(`Imported checkpoint.zip at step ${step}: press Resume`, {
      timeout: 60_000,
    });
    await train.expectPhase('paused');
    expect(await train.step()).toBe(step);
    await train.resumeButton.click();
    await train.waitForStep(8);
    await train.expectPhase('done');
    expect(await train.step()).toBe(8);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
