import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { parseSafetensors, readFloat32, type WritableTensor, writeSafetensors } from '../src/protocol/safetensors';
import { encoderLayerNames, paramSpecs } from '../src/protocol/torchvision-names';
import { StartWeights } from './pages/StartWeights';
import { TINY_RUN } from './pages/TrainPanel';
import { expect, test } from './support/app';
import { maxAbsDiff } from './support/encoder';
import { FIXTURES_DIR, PROBE_SIZE, SHAPES_DIR, SHAPES_PNG_COUNT } from './support/fixtures';

test.use({ appQuery: '?backend=cpu' });

const DIR = join(FIXTURES_DIR, 'start-weights');
/** The small ResNet at 1/16 width with the CIFAR stem: a 17 kB torchvision-named file. */
const SPEC = { encoder: 'resnet-small', widthMultiplier: 0.0625, stem: 'cifar', imageSize: PROBE_SIZE } as const;

/** Values far from any seeded initialization (a fixed pattern), BatchNorm statistics at their identity. */
function smallResnetFile(): Uint8Array {
  const tensors: WritableTensor[] = paramSpecs(encoderLayerNames(SPEC)).map((p) => {
    const size = p.shape.reduce((n, d) => n * d, 1);
    if (p.role === 'bn-count') return { name: p.name, dtype: 'I64', shape: p.shape, data: new BigInt64Array(1) };
    const fill =
      p.role === 'bn-var' || p.role === 'bn-weight'
        ? () => 1
        : p.role === 'conv'
          ? (i: number) => 0.3 * Math.sin(i)
          : () => 0;
    return { name: p.name, dtype: 'F32', shape: p.shape, data: Float32Array.from({ length: size }, (_, i) => fill(i)) };
  });
  return writeSafetensors(tensors);
}

test('starts a run from a torchvision-named .safetensors file; a bad file changes nothing', async ({ app, page }) => {
  test.setTimeout(240_000);
  const { data, train, exporter } = app;
  const weights = new StartWeights(page);
  mkdirSync(DIR, { recursive: true });
  const valid = smallResnetFile();
  const validPath = join(DIR, 'small-resnet.safetensors');
  const truncatedPath = join(DIR, 'truncated.safetensors');
  writeFileSync(validPath, valid);
  writeFileSync(truncatedPath, valid.subarray(0, valid.length - 100));

  await test.step('load images and configure a tiny run', async () => {
    await data.setStoredResolution(PROBE_SIZE);
    await data.loadFolder(SHAPES_DIR);
    await data.expectCount(SHAPES_PNG_COUNT);
    await train.configure({
      ...TINY_RUN,
      encoder: 'resnet18',
      widthMultiplier: 0.25,
      imageSize: PROBE_SIZE,
      trainFor: 3,
    });
  });

  await test.step('the valid file: what it holds is said before Start, and the settings follow it', async () => {
    await weights.choose(validPath);
    await expect(weights.summary).toContainText('small-resnet.safetensors');
    await expect(weights.summary).toContainText('CIFAR stem, width ×0.0625');
    await expect(weights.summary).toContainText(
      `Expected input 32 px with ImageNet normalization (the app's own); this run uses ${PROBE_SIZE} px`,
    );
    await expect(train.field('Encoder')).toHaveValue('resnet-small');
    await expect(train.field('Width multiplier')).toHaveValue('0.0625');
  });

  await test.step('a truncated file before Start: refused with a reason, the valid one stays', async () => {
    await weights.choose(truncatedPath);
    await expect(weights.error).toContainText(
      /truncated\.safetensors: The file is truncated: tensor ".*" ends at byte \d+/,
    );
    await expect(weights.summary).toContainText('small-resnet.safetensors');
  });

  await test.step('the run starts from the file', async () => {
    await train.startButton.click();
    await train.expectPhase('done', 180_000);
    const zip = await exporter.downloadEncoder();
    const files = unzipSync(new Uint8Array(zip.bytes));
    const exported = files['encoder.safetensors'];
    expect(exported, 'the encoder archive holds encoder.safetensors').toBeDefined();
    const after = readFloat32(exported!, parseSafetensors(exported!), 'conv1.weight');
    const before = readFloat32(valid, parseSafetensors(valid), 'conv1.weight');
    // Three Adam steps in warm-up move a weight by far less than 0.05; a seeded start differs by ~0.3.
    expect(maxAbsDiff(after, before)).toBeLessThan(0.05);
  });

  await test.step('a non-safetensors file after the run: a clear message, the finished run untouched', async () => {
    const step = await train.step();
    const notWeights = join(DIR, 'notes.safetensors');
    writeFileSync(notWeights, 'these are notes, not weights\n');
    await weights.choose(notWeights);
    await expect(weights.error).toContainText('notes.safetensors: Not a safetensors file');
    await train.expectPhase('done');
    expect(await train.step()).toBe(step);
    await expect(weights.summary).toContainText('small-resnet.safetensors');
  });
});
