/// <reference types="node" />
/**
 * The app and PyTorch compute the same embeddings: exported .safetensors load into torchvision's ResNet
 * with strict=True (pytorch/parity.py check-export), and torchvision-named files written by PyTorch
 * load into the app (make-fixtures). Needs /usr/bin/python3 with torch and torchvision
 * (apt-get install python3-torch python3-torchvision; .ci/run installs them).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../../protocol/config';
import { parseSafetensors } from '../../protocol/safetensors';
import { configForWeights, inspectStartWeights } from '../../protocol/start-weights';
import { embedPixels } from '../eval/embed';
import { Rng } from '../random/rng';
import { maxAbsDiff } from '../testing/max-abs-diff';
import { randomizeBatchNorm } from '../testing/random-batch-norm';
import { hasTorch, TORCH_PYTHON } from '../testing/torch-python';
import { buildSimclrModel } from '../train/simclr-model';
import { checkEncoderWeights, encoderSafetensors, headSafetensors, loadEncoderWeights } from './torchvision-weights';

const SCRIPT = fileURLToPath(new URL('../../../pytorch/parity.py', import.meta.url));
const torchFound = hasTorch('PyTorch parity tests');
/** Float32 in both, summed in different orders: differences stay near 1e-6 for activations of order 1. */
const TOLERANCE = 1e-4;

function randomImages(count: number, size: number, seed: number): Uint8Array {
  const rng = new Rng(seed);
  return Uint8Array.from({ length: count * size * size * 3 }, () => rng.int(256));
}

const bytesOf = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

describe.skipIf(!torchFound)('PyTorch parity (torchvision ResNet, strict=True)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'simclr-parity-'));
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const exportCases: Array<Partial<TrainConfig>> = [
    { encoder: 'resnet-small', widthMultiplier: 0.25, imageSize: 16, stem: 'auto', projectionHead: 'v2' },
    { encoder: 'resnet50', widthMultiplier: 0.125, imageSize: 32, stem: 'imagenet', projectionHead: 'v1' },
  ];
  it.each(exportCases)('exported %o loads into PyTorch and gives the same h and z', async (overrides) => {
    const config = { ...DEFAULT_TRAIN_CONFIG, projectionHidden: 16, projectionDim: 8, ...overrides };
    const model = buildSimclrModel(config);
    randomizeBatchNorm([...model.encoder.layers, ...model.head.layers], 5);
    const count = 3;
    const size = config.imageSize;
    const images = randomImages(count, size, 9);
    const h = await embedPixels(model.encoderModel, images, count, size);
    const dim = model.encoder.representationDim;
    const z = tf.tidy(() => model.head.run(tf.tensor2d(h, [count, dim]), false).dataSync() as Float32Array);
    const caseDir = mkdtempSync(join(dir, 'export-'));
    writeFileSync(join(caseDir, 'encoder.safetensors'), await encoderSafetensors(model, config, 3));
    writeFileSync(join(caseDir, 'head.safetensors'), await headSafetensors(model, config, 3));
    writeFileSync(join(caseDir, 'images.u8'), images);
    writeFileSync(join(caseDir, 'embeddings.f32'), bytesOf(h));
    writeFileSync(join(caseDir, 'projections.f32'), bytesOf(z));
    const { projectionHead, projectionHidden: hidden, projectionDim: out } = config;
    writeFileSync(join(caseDir, 'case.json'), JSON.stringify({ count, size, dim, projectionHead, hidden, out }));
    model.dispose();
    const result = JSON.parse(execFileSync(TORCH_PYTHON, [SCRIPT, 'check-export', caseDir], { encoding: 'utf8' }));
    console.info(`export parity ${config.encoder}/${config.stem}: ${JSON.stringify(result)}`);
    expect(result.max_abs_value).toBeGreaterThan(0.1);
    expect(result.encoder_max_abs_diff).toBeLessThan(TOLERANCE);
    expect(result.head_max_abs_diff).toBeLessThan(TOLERANCE);
  });

  it('torchvision-named files from PyTorch (torchvision.models.resnet18 itself; both stems, basic and bottleneck, f32/f16/bf16, with fc) give PyTorch embeddings', async () => {
    const fixtures = join(dir, 'fixtures');
    execFileSync(TORCH_PYTHON, [SCRIPT, 'make-fixtures', fixtures]);
    const { cases } = JSON.parse(readFileSync(join(fixtures, 'fixtures.json'), 'utf8')) as {
      cases: Array<{
        name: string;
        size: number;
        count: number;
        dim: number;
        fc: boolean;
        stem: string;
        maxAbsValue: number;
      }>;
    };
    expect(cases.length).toBe(5);
    for (const c of cases) {
      const bytes = new Uint8Array(readFileSync(join(fixtures, `${c.name}.safetensors`)));
      const summary = inspectStartWeights(c.name, parseSafetensors(bytes));
      expect(summary.stem).toBe(c.stem);
      expect(summary.ignored).toEqual(c.fc ? ['fc.weight', 'fc.bias'] : []);
      const config = { ...configForWeights(DEFAULT_TRAIN_CONFIG, summary), imageSize: c.size };
      const model = buildSimclrModel(config);
      loadEncoderWeights(model, config, checkEncoderWeights(bytes, config, c.name));
      const images = new Uint8Array(readFileSync(join(fixtures, `${c.name}.u8`)));
      const h = await embedPixels(model.encoderModel, images, c.count, c.size);
      model.dispose();
      const expected = new Float32Array(Uint8Array.from(readFileSync(join(fixtures, `${c.name}.f32`))).buffer);
      const diff = maxAbsDiff(h, expected);
      console.info(
        `import parity ${c.name}: max abs diff ${diff.toExponential(2)} (max |h| ${c.maxAbsValue.toFixed(2)})`,
      );
      expect(diff).toBeLessThan(TOLERANCE);
    }
  });
});
