/**
 * The classifier README's PyTorch snippet, run as written: it builds the model, loads a torchvision-named
 * classifier.safetensors with strict=True and gives the reference model's probabilities. The file comes from
 * pytorch/simclr_tab's build_classifier (whose loader core/export/classifier-parity.test.ts compares with the app).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { NORMALIZE_MEAN, NORMALIZE_STD, type ProjectionHeadName } from '../protocol/config';
import { type ClassifierMetadata, DEFAULT_FINE_TUNE_CONFIG } from '../protocol/fine-tune';
import { classifierPytorchReadme } from './classifier-pytorch';

const PYTHON = '/usr/bin/python3';
const PYTORCH_DIR = fileURLToPath(new URL('../../pytorch', import.meta.url));
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, torchvision, PIL'], { stdio: 'ignore' }).status === 0;
if (!hasTorch)
  console.warn(
    `Classifier README snippet test skipped: ${PYTHON} cannot import torch, torchvision and PIL (apt-get install python3-torch python3-torchvision python3-pil).`,
  );

/** Writes a reference classifier's file (BatchNorm statistics moved off 0/1), defines `image`, runs the snippet. */
const HARNESS = `
import json, sys, torch
sys.path.insert(0, sys.argv[1])
from PIL import Image
from simclr_tab import build_classifier, save_file
from simclr_tab import preprocess as app_preprocess  # the snippet defines its own preprocess
c = json.loads(sys.argv[2])
torch.manual_seed(0)
ref = build_classifier(c["encoder"], c["width"], c["stem"], c["classes"], c["head_layer"], c["hidden"])
for m in ref.modules():
    if isinstance(m, (torch.nn.BatchNorm1d, torch.nn.BatchNorm2d)):
        m.running_mean.uniform_(-0.1, 0.1); m.running_var.uniform_(0.5, 1.5); m.weight.data.uniform_(0.1, 0.4)
ref.eval()
save_file(ref.state_dict(), "classifier.safetensors")
json.dump(c["labels"], open("labels.json", "w"))
pixels = torch.randint(0, 256, (1, c["size"], c["size"], 3), dtype=torch.uint8)
image = Image.fromarray(pixels[0].numpy())
try:
    import safetensors  # noqa: F401
except ImportError:  # Debian's torch comes without it: the repository's reader stands in
    sys.modules["safetensors.torch"] = __import__("simclr_tab")
exec(open("readme.py").read())
with torch.no_grad():
    expected = torch.softmax(ref(app_preprocess(pixels)), dim=1)[0]
print(json.dumps({"diff": (probabilities - expected).abs().max().item(), "spread": (expected.max() - expected.min()).item(), "top": top5[0][0]}))
`;

interface Case {
  encoder: 'resnet-small' | 'resnet18';
  width: number;
  stem: 'cifar' | 'imagenet';
  size: number;
  head: ProjectionHeadName;
  fromHeadLayer: boolean;
  dim: number;
}

function metadata(c: Case, labels: string[]): ClassifierMetadata {
  return {
    inputSize: [c.size, c.size, 3],
    normalization: { scale: 1 / 255, mean: [...NORMALIZE_MEAN], std: [...NORMALIZE_STD] },
    labels,
    fineTune: { ...DEFAULT_FINE_TUNE_CONFIG, fromHeadLayer: c.fromHeadLayer },
    architecture: {
      encoder: c.encoder,
      imageSize: c.size,
      widthMultiplier: c.width,
      stem: c.stem,
      projectionHead: c.head,
      projectionHidden: 16,
      projectionDim: 8,
      representationDim: c.dim,
    },
  } as ClassifierMetadata;
}

describe('docs/fine-tune.md', () => {
  it("shows the README's PyTorch code for the default settings (ResNet-18, width 1, 32 px, 10 classes)", () => {
    const defaults: Case = {
      encoder: 'resnet18',
      width: 1,
      stem: 'cifar',
      size: 32,
      head: 'v2',
      fromHeadLayer: false,
      dim: 512,
    };
    const labels = Array.from({ length: 10 }, (_, i) => `class ${i}`);
    const readme = classifierPytorchReadme(metadata(defaults, labels));
    const code = /```python\n[\s\S]*?```/.exec(readme)?.[0] ?? 'no code';
    const docs = readFileSync(new URL('../../docs/fine-tune.md', import.meta.url), 'utf8');
    expect(docs).toContain(code);
  });
});

describe.skipIf(!hasTorch)("the classifier README's PyTorch snippet", () => {
  const dir = mkdtempSync(join(tmpdir(), 'simclr-classifier-readme-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const small = { encoder: 'resnet-small', width: 0.25, stem: 'cifar', size: 16, dim: 128 } as const;
  const cases: Case[] = [
    { ...small, head: 'v2', fromHeadLayer: false },
    { ...small, head: 'v2', fromHeadLayer: true },
    { ...small, head: 'v1', fromHeadLayer: true },
    { encoder: 'resnet18', width: 1, stem: 'imagenet', size: 32, head: 'v2', fromHeadLayer: false, dim: 512 },
  ];
  it.each(cases)('$encoder, head layer $head kept: $fromHeadLayer, loads strictly and gives the probabilities', (c) => {
    const labels = ['bag', 'coat', 'shirt'];
    const readme = classifierPytorchReadme(metadata(c, labels));
    if (c.encoder === 'resnet18') expect(readme).toContain('torchvision.models.resnet18(num_classes=3)` loads it too');
    const code = /```python\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const caseDir = mkdtempSync(join(dir, 'case-'));
    writeFileSync(join(caseDir, 'readme.py'), code);
    const headLayer = c.fromHeadLayer ? c.head : 'none';
    const args = { ...c, classes: labels.length, head_layer: headLayer, hidden: 16, labels };
    const run = spawnSync(PYTHON, ['-c', HARNESS, PYTORCH_DIR, JSON.stringify(args)], {
      cwd: caseDir,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout);
    expect(result.spread).toBeGreaterThan(1e-3);
    expect(result.diff).toBeLessThan(1e-6);
    expect(labels).toContain(result.top);
  });
});
