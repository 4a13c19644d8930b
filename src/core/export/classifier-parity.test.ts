/// <reference types="node" />
/**
 * The fine-tuned classifier's safetensors load into PyTorch with strict=True (simclr_tab.load_classifier, and
 * torchvision.models.resnet18(num_classes) itself when the shapes are ResNet-18's) and give the app's class
 * probabilities. Needs TORCH_PYTHON with torch and torchvision (core/testing/torch-python.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../../protocol/config';
import { embedPixels } from '../eval/embed';
import { buildClassifier } from '../finetune/classifier';
import { Rng } from '../random/rng';
import { maxAbsDiff } from '../testing/max-abs-diff';
import { randomizeBatchNorm } from '../testing/random-batch-norm';
import { hasTorch, TORCH_PYTHON } from '../testing/torch-python';
import { classifierSafetensors } from './torchvision-weights';

const PYTORCH_DIR = fileURLToPath(new URL('../../../pytorch', import.meta.url));
const torchFound = hasTorch('Classifier PyTorch parity tests');
const TOLERANCE = 1e-4;

/** Loads the file both ways it claims to load, prints softmax probabilities of the app's preprocessing. */
const HARNESS = `
import json, sys, torch, torchvision
sys.path.insert(0, sys.argv[1])
from simclr_tab import load_classifier, load_file, preprocess
c = json.loads(sys.argv[2])
pixels = torch.frombuffer(bytearray(open("images.u8", "rb").read()), dtype=torch.uint8)
x = preprocess(pixels.reshape(c["count"], c["size"], c["size"], 3))
out = {}
with torch.no_grad():
    out["simclr_tab"] = torch.softmax(load_classifier("classifier.safetensors")(x), dim=1).flatten().tolist()
    if c["plain_resnet18"]:
        m = torchvision.models.resnet18(num_classes=c["classes"])
        m.load_state_dict(load_file("classifier.safetensors"), strict=True)
        out["resnet18"] = torch.softmax(m.eval()(x), dim=1).flatten().tolist()
print(json.dumps(out))
`;

interface Case {
  overrides: Partial<TrainConfig>;
  fromHeadLayer: boolean;
  plainResnet18: boolean;
}

const tiny = { encoder: 'resnet-small', widthMultiplier: 0.25, imageSize: 16 } as const;
const cases: Case[] = [
  { overrides: { ...tiny, stem: 'auto', projectionHead: 'v2' }, fromHeadLayer: false, plainResnet18: false },
  { overrides: { ...tiny, stem: 'auto', projectionHead: 'v2' }, fromHeadLayer: true, plainResnet18: false },
  { overrides: { ...tiny, stem: 'imagenet', projectionHead: 'v1' }, fromHeadLayer: true, plainResnet18: false },
  {
    overrides: { encoder: 'resnet18', widthMultiplier: 1, imageSize: 32, stem: 'imagenet', projectionHead: 'v2' },
    fromHeadLayer: false,
    plainResnet18: true,
  },
];

describe.skipIf(!torchFound)('classifier safetensors in PyTorch (strict=True)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'simclr-classifier-parity-'));
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(cases)('$overrides, head layer kept: $fromHeadLayer, gives the app probabilities', async (c) => {
    const config = { ...DEFAULT_TRAIN_CONFIG, projectionHidden: 16, projectionDim: 8, ...c.overrides };
    const classes = 3;
    const classifier = buildClassifier(config, { classes, fromHeadLayer: c.fromHeadLayer }, null);
    randomizeBatchNorm(classifier.layers, 5);
    // The linear layer starts at zero (uniform probabilities): random weights make the comparison mean something.
    const rng = new Rng(7);
    const inputDim = c.fromHeadLayer ? config.projectionHidden : classifier.encoder.representationDim;
    const random = (n: number) => Float32Array.from({ length: n }, () => 2 * rng.next() - 1);
    const weights = tf.tensor2d(random(inputDim * classes), [inputDim, classes]);
    const bias = tf.tensor1d(random(classes));
    classifier.setLinear(weights, bias);
    tf.dispose([weights, bias]);
    const count = 2;
    const size = config.imageSize;
    const images = Uint8Array.from({ length: count * size * size * 3 }, () => rng.int(256));
    const probabilities = await embedPixels(classifier.model, images, count, size);
    const caseDir = mkdtempSync(join(dir, 'case-'));
    writeFileSync(
      join(caseDir, 'classifier.safetensors'),
      await classifierSafetensors(classifier, config, classes, c.fromHeadLayer, 3),
    );
    classifier.dispose();
    writeFileSync(join(caseDir, 'images.u8'), images);
    const args = JSON.stringify({ count, size, classes, plain_resnet18: c.plainResnet18 });
    const result = JSON.parse(
      execFileSync(TORCH_PYTHON, ['-c', HARNESS, PYTORCH_DIR, args], { cwd: caseDir, encoding: 'utf8' }),
    ) as { simclr_tab: number[]; resnet18?: number[] };
    const uniform = new Float32Array(count * classes).fill(1 / classes);
    expect(maxAbsDiff(probabilities, uniform)).toBeGreaterThan(0.05);
    const diff = maxAbsDiff(probabilities, result.simclr_tab);
    console.info(`classifier parity ${config.encoder}/${c.fromHeadLayer}: max abs diff ${diff.toExponential(2)}`);
    expect(diff).toBeLessThan(TOLERANCE);
    if (c.plainResnet18) expect(maxAbsDiff(probabilities, result.resnet18 ?? [])).toBeLessThan(TOLERANCE);
  });
});
