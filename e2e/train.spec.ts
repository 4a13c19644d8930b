import { readFileSync } from 'node:fs';
import { TINY_RUN } from './pages/TrainPanel';
import { expect, test } from './support/app';
import { embeddingFromJson, embedInNode, maxAbsDiff, unzipEncoder } from './support/encoder';
import { PROBE_PATH, PROBE_SIZE, SHAPES_DIR, SHAPES_PNG_COUNT } from './support/fixtures';

// WebGPU, as before the backend comparison (it picked WebGPU when available); no comparison here.
test.use({ appQuery: '?backend=webgpu' });

const METADATA_KEYS = [
  'inputSize',
  'channelOrder',
  'normalization',
  'config',
  'stepsTrained',
  'finalLoss',
  'backend',
  'appVersion',
] as const;

// One long journey on WebGPU (SwiftShader here: the first step compiles shaders for many seconds).
test('trains on WebGPU, pauses, resumes, stops, exports an encoder that tfjs reproduces', async ({ app }) => {
  test.setTimeout(360_000);
  const { data, train, exporter } = app;

  await test.step('load the fixture folder at the run size', async () => {
    await data.setStoredResolution(PROBE_SIZE);
    await data.loadFolder(SHAPES_DIR);
    await data.expectCount(SHAPES_PNG_COUNT);
  });

  await test.step('configure a tiny run and start it', async () => {
    await train.configure({ ...TINY_RUN, imageSize: PROBE_SIZE });
    await expect(train.field('Encoder').locator('option:checked')).toHaveText('Small ResNet (weak machines)');
    await expect(train.startButton).toBeEnabled();
    await train.startButton.click();
    await train.expectBackend('webgpu');
    await train.waitForStep(3);
  });

  await test.step('live metrics', async () => {
    await expect.poll(() => train.numberAttr(train.lossChart, 'data-points')).toBeGreaterThan(0);
    expect(Number.isFinite(await train.numberAttr(train.lossChart, 'data-last')), 'last loss is finite').toBe(true);
    for (const attr of ['data-last-positive', 'data-last-negative']) {
      const value = await train.numberAttr(train.similarityChart, attr);
      expect(Number.isFinite(value), `${attr} is finite`).toBe(true);
      expect(Math.abs(value), `${attr} is a cosine similarity`).toBeLessThanOrEqual(1 + 1e-4);
    }
    expect(await train.numberAttr(train.heatmap, 'data-size')).toBeGreaterThan(0);
  });

  await test.step('pause holds the step; resume continues', async () => {
    await train.pauseButton.click();
    await train.expectPhase('paused');
    const pausedAt = await train.step();
    await app.page.waitForTimeout(5_000);
    expect(await train.step(), 'no step while paused').toBe(pausedAt);
    await train.expectPhase('paused', 1_000);

    await train.resumeButton.click();
    await train.waitForStep(pausedAt + 1);
  });

  await test.step('stop', async () => {
    await train.stopButton.click();
    await train.expectPhase('stopped');
  });

  const archive = await test.step('download the encoder archive', async () => {
    const zip = await exporter.downloadEncoder();
    expect(zip.name).toMatch(/\.zip$/);
    const archive = unzipEncoder(zip.bytes);
    for (const name of ['model.json', 'weights.bin', 'metadata.json']) expect(archive.names).toContain(name);
    for (const key of METADATA_KEYS) expect(archive.metadata, `metadata.json has ${key}`).toHaveProperty(key);
    expect(archive.metadata.inputSize).toEqual([PROBE_SIZE, PROBE_SIZE, 3]);
    expect(archive.metadata.channelOrder).toBe('RGB');
    expect(archive.metadata.backend).toBe('webgpu');
    expect(archive.metadata.stepsTrained).toBeGreaterThanOrEqual(4);
    expect(Number.isFinite(archive.metadata.finalLoss)).toBe(true);
    return archive;
  });

  await test.step('embed probe.png in the app and in Node; they agree', async () => {
    await exporter.embed(PROBE_PATH);
    await expect(exporter.embeddingResult).toContainText(/\d/, { timeout: 120_000 });
    const download = await exporter.downloadEmbedding();
    expect(download.name).toMatch(/\.json$/);
    const appEmbedding = embeddingFromJson(JSON.parse(download.bytes.toString('utf8')));
    if (archive.metadata.representationDim !== undefined) {
      expect(appEmbedding).toHaveLength(archive.metadata.representationDim);
    }
    const nodeEmbedding = await embedInNode(archive, readFileSync(PROBE_PATH));
    expect(nodeEmbedding.length).toBe(appEmbedding.length);
    expect(nodeEmbedding.every(Number.isFinite)).toBe(true);
    const diff = maxAbsDiff(appEmbedding, nodeEmbedding);
    test.info().annotations.push({ type: 'embedding max abs diff', description: diff.toExponential(2) });
    expect(diff, 'app embedding == tfjs(model.json) embedding').toBeLessThanOrEqual(1e-4);
  });

  await expect(app.errorBanner).toHaveCount(0);
});
