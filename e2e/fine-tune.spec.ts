import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { hasTorch, TORCH_PYTHON } from '../src/core/testing/torch-python';
import { FineTunePanel } from './pages/FineTunePanel';
import { TINY_RUN } from './pages/TrainPanel';
import { expect, test } from './support/app';
import { embedInNode, maxAbsDiff, unzipEncoder } from './support/encoder';

// WebAssembly: faster than WebGPU on SwiftShader for this tiny network; no backend comparison.
test.use({ appQuery: '?backend=wasm' });

const SAMPLE_DIR = join(import.meta.dirname, '..', 'public', 'sample', 'fashion-mnist');
/** The sample's images are 28 px: stored and trained at 28 px, a chosen image reaches the network unresized. */
const SIZE = 28;
const SIMCLR_STEPS = 20;
const FINE_TUNE_STEPS = 60;
const PYTORCH_DIR = join(import.meta.dirname, '..', 'pytorch');
/** The downloaded classifier.safetensors in PyTorch (simclr_tab.load_classifier, strict=True): probabilities of a PNG. */
const TORCH_CLASSIFY = `
import json, sys, numpy, torch
sys.path.insert(0, sys.argv[1])
from PIL import Image
from simclr_tab import load_classifier, preprocess
pixels = numpy.asarray(Image.open(sys.argv[3]).convert("RGB"))[None]
with torch.no_grad():
    print(json.dumps(torch.softmax(load_classifier(sys.argv[2])(preprocess(pixels)), dim=1)[0].tolist()))
`;
const BAG = join(SAMPLE_DIR, 'bag', readdirSync(join(SAMPLE_DIR, 'bag')).find((f) => f.endsWith('.png'))!);

test('fine-tunes on the sample set with folder labels, beats the baseline and the frozen probe; the download gives the same probabilities in Node', async ({
  app,
}) => {
  test.setTimeout(600_000);
  const { page, data, train } = app;
  const fine = new FineTunePanel(page);

  await test.step('load the sample set; its folder names are labels', async () => {
    await data.setStoredResolution(SIZE);
    await data.useSamplesButton.click();
    await data.expectCount(600, 120_000);
    await expect(page.getByTestId('fine-tune-blocker')).toContainText('folder names are labels');
    await data.answerFolderLabels(true);
    await expect(page.getByTestId('fine-tune-blocker')).toContainText('Train the encoder');
  });

  await test.step('a short SimCLR run', async () => {
    await train.configure({ ...TINY_RUN, imageSize: SIZE, batchSize: 32, trainFor: SIMCLR_STEPS, metricsEvery: 5 });
    await train.startButton.click();
    await train.expectBackend('wasm');
    await train.expectPhase('done', 300_000);
    await expect(page.getByTestId('fine-tune-blocker')).toHaveCount(0);
  });

  await test.step('fine-tune with all labels: above the baseline and the frozen linear probe', async () => {
    await fine.configure({ fraction: 'all', steps: FINE_TUNE_STEPS, batchSize: 32, learningRate: 0.001, seed: 1 });
    await fine.startButton.click();
    await fine.expectPhase('done', 300_000);
    const accuracy = await fine.value(fine.accuracy);
    const probe = await fine.value(fine.probe);
    const majority = await fine.value(fine.majority);
    test.info().annotations.push({
      type: 'held-out accuracy',
      description: `fine-tuned ${accuracy}, frozen probe ${probe}, baseline ${majority}`,
    });
    expect(majority).toBeCloseTo(0.1, 6);
    expect(accuracy).toBeGreaterThan(majority);
    expect(accuracy).toBeGreaterThan(probe);
    await expect(fine.confusion.locator('tbody tr')).toHaveCount(10);
  });

  const shown = await test.step('try it on a sample image: every class with a probability', async () => {
    await fine.classifyInput.setInputFiles(BAG);
    await expect(fine.classifyResult).toBeVisible({ timeout: 60_000 });
    const shown = await fine.shownProbabilities();
    expect(shown.size).toBe(10);
    expect([...shown.values()].reduce((a, b) => a + b)).toBeCloseTo(1, 4);
    return shown;
  });

  await test.step('the downloaded classifier gives the same probabilities in Node (tfjs, CPU)', async () => {
    const zip = await fine.downloadClassifier();
    expect(zip.name).toMatch(/^simclr-classifier-10-classes-step\d+\.zip$/);
    const files = unzipSync(zip.bytes);
    for (const name of [
      'model.json',
      'weights.bin',
      'classifier.safetensors',
      'labels.json',
      'metadata.json',
      'README.md',
    ])
      expect(Object.keys(files)).toContain(name);
    const labels = JSON.parse(new TextDecoder().decode(files['labels.json'])) as string[];
    expect(labels).toEqual([...shown.keys()].sort());
    const readme = new TextDecoder().decode(files['README.md']);
    expect(readme).toContain('## In the browser');
    expect(readme).toContain('## In Node');
    expect(readme).toContain('## In PyTorch');
    const archive = unzipEncoder(zip.bytes);
    const node = await embedInNode(archive, readFileSync(BAG));
    const app = labels.map((label) => shown.get(label)!);
    const diff = maxAbsDiff(app, node);
    test.info().annotations.push({ type: 'probability max abs diff', description: diff.toExponential(2) });
    expect(diff).toBeLessThanOrEqual(1e-4);
    if (!hasTorch('PyTorch check of the classifier download', ['PIL'])) return;
    const dir = mkdtempSync(join(tmpdir(), 'simclr-classifier-e2e-'));
    try {
      writeFileSync(join(dir, 'classifier.safetensors'), files['classifier.safetensors']!);
      const args = ['-c', TORCH_CLASSIFY, PYTORCH_DIR, join(dir, 'classifier.safetensors'), BAG];
      const torch = JSON.parse(execFileSync(TORCH_PYTHON, args, { encoding: 'utf8' })) as number[];
      const torchDiff = maxAbsDiff(app, torch);
      test
        .info()
        .annotations.push({ type: 'PyTorch probability max abs diff', description: torchDiff.toExponential(2) });
      expect(torchDiff).toBeLessThanOrEqual(1e-4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  await expect(app.errorBanner).toHaveCount(0);
});
