import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { readFloat32Npy } from '../src/client/bundle/npy';
import { TINY_RUN } from './pages/TrainPanel';
import { App, expect, test } from './support/app';
import { embeddingFromJson, embedInNode, maxAbsDiff, unzipEncoder } from './support/encoder';
import { DROP_COUNT, DROP_DIR, FIXTURES_DIR, SHAPES_DIR, SHAPES_PNG_COUNT } from './support/fixtures';

// The backend this spec uses, from the first page load on: no backend comparison.
test.use({ appQuery: '?backend=cpu' });

const RUN = { ...TINY_RUN, imageSize: 16, trainFor: 8, metricsEvery: 1 };
/** Images stored at 16 px whose files are 16 px too: their stored pixels are the PNG's, so Node can redo them. */
const NATIVE_16 = /(circles\/tiny|square\/outlined)\//;
const BUNDLE_FILES = [
  'model.json',
  'weights.bin',
  'metadata.json',
  'embeddings.npy',
  'files.csv',
  'vectors.tsv',
  'metadata.tsv',
  'encoder.safetensors',
  'projection_head.safetensors',
  'README.md',
  'report/report.md',
  'report/metrics.csv',
  'report/loss.png',
  'checkpoint.simclr',
];

function fixturePath(path: string): string {
  const candidates = [join(FIXTURES_DIR, path), join(SHAPES_DIR, path)];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`files.csv names ${path}, not found under the fixtures`);
  return found;
}

test('the bundle holds every file, reproduces in Node and in a fresh tab, imports to continue; foreign and corrupt zips are refused', async ({
  app,
}, testInfo) => {
  test.setTimeout(240_000);
  const { page, data, train, runs } = app;
  await train.expectBackend('cpu');
  await data.loadFolderAt(16, SHAPES_DIR, SHAPES_PNG_COUNT);
  await train.configure(RUN);

  await test.step('train, pausing from inside the page at step 4', async () => {
    await train.clickWhenStepReaches(4, 'Pause');
    await train.startButton.click();
    await train.expectPhase('paused');
  });
  const pausedAt = await train.step();
  expect(pausedAt).toBeLessThan(8);

  const bundle = await test.step('download the bundle', async () => {
    const download = await runs.downloadBundle();
    expect(download.name).toBe(`simclr-bundle-resnet-small-step${pausedAt}.zip`);
    await expect(runs.bundleResult).toContainText(download.name);
    return download.bytes;
  });
  const bundlePath = testInfo.outputPath('bundle.zip');
  writeFileSync(bundlePath, bundle);

  const files = unzipSync(bundle);
  const text = (name: string) => new TextDecoder().decode(files[name]);
  const npy = readFloat32Npy(files['embeddings.npy']!);
  const paths = text('files.csv')
    .trim()
    .split('\n')
    .slice(1)
    .map((row) => row.slice(row.indexOf(',') + 1));

  await test.step('every file is there and says what it should', async () => {
    for (const name of BUNDLE_FILES) expect(Object.keys(files), `bundle has ${name}`).toContain(name);
    const metadata = JSON.parse(text('metadata.json'));
    for (const key of [
      'inputSize',
      'channelOrder',
      'normalization',
      'config',
      'stepsTrained',
      'finalLoss',
      'appVersion',
    ]) {
      expect(metadata, `metadata.json has ${key}`).toHaveProperty(key);
    }
    expect(metadata.datasetFingerprint).toMatch(/^24x16px-[0-9a-f]{16}$/);
    expect(metadata.stepsTrained).toBe(pausedAt);
    expect(npy.shape).toEqual([SHAPES_PNG_COUNT, metadata.representationDim]);
    expect(paths).toHaveLength(SHAPES_PNG_COUNT);
    expect(text('README.md')).toContain(
      'tensorflowjs_converter --input_format=tfjs_layers_model --output_format=keras',
    );
    expect(text('report/report.md')).toContain('![NT-Xent loss per step](loss.png)');
    expect(text('report/metrics.csv').trim().split('\n')).toHaveLength(pausedAt + 1);
    expect(Array.from(files['report/loss.png']!.subarray(1, 4))).toEqual([80, 78, 71]); // "PNG"
    // The chart's canvas has the plot and axes; the report image adds its title above and its legend below.
    const png = files['report/loss.png']!;
    const pngHeight = new DataView(png.buffer, png.byteOffset).getUint32(20); // IHDR height
    const plotHeight = Number(await train.lossChart.locator('canvas').first().getAttribute('height'));
    expect(pngHeight, 'loss.png is taller than the plot: title and legend').toBeGreaterThan(plotHeight + 30);
  });

  const dim = npy.shape[1]!;
  const row = (i: number) => npy.values.subarray(i * dim, (i + 1) * dim);
  const native = paths.map((p, i) => ({ p, i })).filter(({ p }) => NATIVE_16.test(p));
  expect(native.length).toBe(7);

  await test.step('the encoder loads in Node (tfjs) and reproduces embeddings.npy', async () => {
    const archive = unzipEncoder(bundle);
    let worst = 0;
    for (const { p, i } of native) {
      const h = await embedInNode(archive, readFileSync(fixturePath(p)));
      worst = Math.max(worst, maxAbsDiff(h, row(i)));
    }
    testInfo.annotations.push({ type: 'node vs embeddings.npy max abs diff', description: worst.toExponential(2) });
    console.log(`node vs embeddings.npy max abs diff: ${worst.toExponential(2)}`);
    expect(worst).toBeLessThanOrEqual(1e-4);
  });

  const fresh = new App(await page.context().newPage(), app.query);
  try {
    await fresh.open();
    await fresh.train.expectBackend('cpu');

    await test.step('a fresh tab refuses a foreign zip and a corrupt one, naming them', async () => {
      const foreign = testInfo.outputPath('photos.zip');
      writeFileSync(foreign, zipSync({ 'notes.txt': strToU8('not a model') }));
      await fresh.runs.importFile(foreign);
      await expect(fresh.errorBanner).toContainText('photos.zip is not a simclr-tab bundle');
      const corrupt = testInfo.outputPath('cut.zip');
      writeFileSync(corrupt, bundle.subarray(0, Math.floor(bundle.length / 2)));
      await fresh.runs.importFile(corrupt);
      await expect(fresh.errorBanner).toContainText('cut.zip could not be read as a zip');
      await fresh.page
        .getByRole('button', { name: /dismiss/i })
        .first()
        .click();
    });

    await test.step('imported there without its images, the encoder reproduces embeddings.npy', async () => {
      await fresh.runs.importFile(bundlePath);
      await expect(fresh.runs.status).toContainText('training cannot continue');
      await expect(fresh.train.stepCounter, 'the run total, not the 0 steps of no images').toHaveText(
        `Step ${pausedAt} / ${RUN.trainFor}`,
      );
      const { p, i } = native[0]!;
      await fresh.exporter.embed(fixturePath(p));
      await expect(fresh.exporter.embeddingResult).toContainText(/\d/, { timeout: 60_000 });
      const json = JSON.parse((await fresh.exporter.downloadEmbedding()).bytes.toString('utf8'));
      const diff = maxAbsDiff(embeddingFromJson(json), row(i));
      testInfo.annotations.push({
        type: 'fresh tab vs embeddings.npy max abs diff',
        description: diff.toExponential(2),
      });
      console.log(`fresh tab vs embeddings.npy max abs diff: ${diff.toExponential(2)}`);
      expect(diff).toBeLessThanOrEqual(1e-4);
    });

    await test.step('imported over a new folder, the encoder embeds it for the map', async () => {
      await fresh.data.loadFolderAt(16, DROP_DIR, DROP_COUNT);
      await fresh.runs.importFile(bundlePath);
      await expect(fresh.runs.status).toContainText('training cannot continue');
      const map = fresh.page.getByTestId('embedding-map');
      await expect(map).toHaveAttribute('data-points', String(DROP_COUNT), { timeout: 60_000 });
      await expect(map).toHaveAttribute('data-step', String(pausedAt));
      await fresh.data.clearButton.click();
      await fresh.data.expectCount(0);
    });

    await test.step('with the same images loaded, the import continues training to the end', async () => {
      await fresh.data.loadFolder(SHAPES_DIR);
      await fresh.data.expectCount(SHAPES_PNG_COUNT);
      await fresh.runs.importFile(bundlePath);
      await fresh.train.expectPhase('paused');
      expect(await fresh.train.step()).toBe(pausedAt);
      await fresh.train.resumeButton.click();
      await fresh.train.expectPhase('done');
      expect(await fresh.train.step()).toBe(8);
    });
  } finally {
    await fresh.attachProblems(testInfo);
    await fresh.page.close();
  }
});
