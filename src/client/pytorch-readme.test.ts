/**
 * The README's PyTorch snippet, run as written: it builds the model for the run's encoder, widths, stem
 * and head, loads torchvision-named files with strict=True, and preprocesses as the app does. The
 * files come from pytorch/simclr_tab (whose outputs pytorch-parity.test.ts compares with the app's).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG, NORMALIZE_MEAN, NORMALIZE_STD, type TrainConfig } from '../protocol/config';
import type { ExportMetadata } from '../protocol/messages';
import { pytorchReadme } from './pytorch-files';

const PYTHON = '/usr/bin/python3';
const PYTORCH_DIR = fileURLToPath(new URL('../../pytorch', import.meta.url));
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, torchvision, PIL'], { stdio: 'ignore' }).status === 0;
if (!hasTorch)
  console.warn(
    `README snippet test skipped: ${PYTHON} cannot import torch, torchvision and PIL (apt-get install python3-torch python3-torchvision python3-pil).`,
  );

/** Writes the reference model's files, defines `image`, runs the snippet, prints |h - reference h|. */
const HARNESS = `
import json, sys, torch
sys.path.insert(0, sys.argv[1])
from PIL import Image
from simclr_tab import build_encoder, build_projection_head, save_file
from simclr_tab import preprocess as app_preprocess  # the snippet defines its own preprocess
c = json.loads(sys.argv[2])
torch.manual_seed(0)
ref = build_encoder(c["encoder"], c["width"], c["stem"]).eval()
ref_head = build_projection_head(c["head"], c["dim"], c["hidden"], c["out"]).eval()
save_file(ref.state_dict(), "encoder.safetensors")
save_file(ref_head.state_dict(), "projection_head.safetensors")
pixels = torch.randint(0, 256, (1, c["size"], c["size"], 3), dtype=torch.uint8)
image = Image.fromarray(pixels[0].numpy())
try:
    import safetensors  # noqa: F401
except ImportError:  # Debian's torch comes without it: the repository's reader stands in
    sys.modules["safetensors.torch"] = __import__("simclr_tab")
exec(open("readme.py").read())
with torch.no_grad():
    expected = ref(app_preprocess(pixels))
    print(json.dumps({"h": (h - expected).abs().max().item(), "z": (head(h) - ref_head(expected)).abs().max().item()}))
`;

function metadata(config: TrainConfig, representationDim: number): ExportMetadata {
  return {
    config,
    representationDim,
    inputSize: [config.imageSize, config.imageSize, 3],
    normalization: { scale: 1 / 255, mean: [...NORMALIZE_MEAN], std: [...NORMALIZE_STD] },
  } as unknown as ExportMetadata;
}

describe.skipIf(!hasTorch)("the README's PyTorch snippet", () => {
  const dir = mkdtempSync(join(tmpdir(), 'simclr-readme-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cases: Array<[Partial<TrainConfig>, number]> = [
    [{ encoder: 'resnet-small', widthMultiplier: 0.25, imageSize: 16, stem: 'auto', projectionHead: 'v2' }, 128],
    [{ encoder: 'resnet50', widthMultiplier: 0.125, imageSize: 32, stem: 'imagenet', projectionHead: 'v1' }, 256],
  ];
  it.each(cases)('loads %o strictly and computes what the reference model computes', (overrides, dim) => {
    const config = { ...DEFAULT_TRAIN_CONFIG, projectionHidden: 16, projectionDim: 8, ...overrides };
    const readme = pytorchReadme(metadata(config, dim));
    const code = /```python\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const caseDir = mkdtempSync(join(dir, 'case-'));
    writeFileSync(join(caseDir, 'readme.py'), code);
    const stem = config.stem === 'auto' ? 'cifar' : config.stem;
    const spec = { encoder: config.encoder, width: config.widthMultiplier, stem, size: config.imageSize, dim };
    const args = { ...spec, head: config.projectionHead, hidden: 16, out: 8 };
    const run = spawnSync(PYTHON, ['-c', HARNESS, PYTORCH_DIR, JSON.stringify(args)], {
      cwd: caseDir,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    const diff = JSON.parse(run.stdout);
    expect(diff.h).toBeLessThan(1e-5);
    expect(diff.z).toBeLessThan(1e-5);
  });
});
