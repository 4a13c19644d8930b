/**
 * The encoder and projection head as .safetensors in the downloads, and the Python that loads them
 * into torchvision's ResNet with strict=True (the same code as pytorch/simclr_tab/models.py, inlined
 * so the README works without this repository).
 */
import { ENCODER_FAMILIES, type EncoderSpec, headLayerSizes, resolveStem, stageWidths } from '../protocol/architecture';
import type { ExportMetadata, PytorchFiles } from '../protocol/messages';

export const PYTORCH_ENCODER_FILE = 'encoder.safetensors';
export const PYTORCH_HEAD_FILE = 'projection_head.safetensors';

/** Zip entries of the two files (stored: float data barely compresses). */
export function pytorchZipEntries(files: PytorchFiles): Record<string, [Uint8Array, { level: 0 }]> {
  return {
    [PYTORCH_ENCODER_FILE]: [new Uint8Array(files.encoder), { level: 0 }],
    [PYTORCH_HEAD_FILE]: [new Uint8Array(files.head), { level: 0 }],
  };
}

function headPython(metadata: ExportMetadata): string {
  const [d, ...rest] = headLayerSizes(metadata.config, metadata.representationDim);
  if (metadata.config.projectionHead === 'v1')
    return `nn.Sequential(nn.Linear(${d}, ${rest[0]}), nn.ReLU(), nn.Linear(${rest[0]}, ${rest[1]}))`;
  const [hidden, , out] = rest;
  return `nn.Sequential(
    nn.Linear(${d}, ${hidden}, bias=False), nn.BatchNorm1d(${hidden}), nn.ReLU(),
    nn.Linear(${hidden}, ${hidden}, bias=False), nn.BatchNorm1d(${hidden}), nn.ReLU(), nn.Linear(${hidden}, ${out}))`;
}

/** The Python that builds simclr-tab's torchvision ResNet (widths, stem; fc = Identity), shared by the READMEs. */
export const RESNET_PYTHON = `def simclr_tab_resnet(block, layers, widths, cifar_stem):
    m = ResNet(block, layers)
    m.inplanes = widths[0]
    if cifar_stem:  # 3x3 convolution, stride 1, no max-pool
        m.conv1, m.maxpool = nn.Conv2d(3, widths[0], 3, 1, 1, bias=False), nn.Identity()
    else:
        m.conv1 = nn.Conv2d(3, widths[0], 7, 2, 3, bias=False)
    m.bn1 = nn.BatchNorm2d(widths[0])
    m.layer1 = m._make_layer(block, widths[0], layers[0])
    m.layer2 = m._make_layer(block, widths[1], layers[1], stride=2)
    m.layer3 = m._make_layer(block, widths[2], layers[2], stride=2)
    m.layer4 = m._make_layer(block, widths[3], layers[3], stride=2)
    m.fc = nn.Identity()  # f ends at global average pooling
    return m`;

/** The torchvision block class RESNET_PYTHON needs, and the call that builds `spec`'s encoder. */
export function resnetPython(spec: EncoderSpec): { block: string; call: string } {
  const family = ENCODER_FAMILIES[spec.encoder];
  const cifar = resolveStem(spec.stem, spec.imageSize) === 'cifar';
  const block = family.block === 'basic' ? 'BasicBlock' : 'Bottleneck';
  const layers = family.blocksPerStage.join(', ');
  const widths = stageWidths(spec.widthMultiplier).join(', ');
  return {
    block,
    call: `simclr_tab_resnet(${block}, [${layers}], [${widths}], cifar_stem=${cifar ? 'True' : 'False'})`,
  };
}

/** The app's preprocessing as torchvision transforms (centre square, bilinear resize, /255, normalize). */
export function preprocessPython(size: number, normalization: { mean: readonly number[]; std: readonly number[] }) {
  return `# The app's input: centre square, ${size} x ${size} bilinear, RGB / 255, then (x - mean) / std.
preprocess = transforms.Compose([
    transforms.Resize(${size}), transforms.CenterCrop(${size}), transforms.ToTensor(),
    transforms.Normalize(mean=[${normalization.mean.join(', ')}], std=[${normalization.std.join(', ')}]),
])`;
}

/** Markdown: build the matching torchvision model, load both files strictly, preprocess as the app does. */
export function pytorchReadme(metadata: ExportMetadata): string {
  const { config, normalization } = metadata;
  const { block, call } = resnetPython(config);
  const [size] = metadata.inputSize;
  return `## In PyTorch

\`${PYTORCH_ENCODER_FILE}\` holds the encoder with torchvision's ResNet parameter names and layouts
(\`conv1.weight\` OIHW, \`bn1.running_mean\`, \`layer2.0.downsample.0.weight\`, ...);
\`${PYTORCH_HEAD_FILE}\` the projection head as an \`nn.Sequential\`. torchvision's ResNet has no width
multiplier and only the ImageNet stem, so the model is built with this run's widths and stem:

\`\`\`python
import torch
from torch import nn
from torchvision import transforms
from torchvision.models.resnet import ${block}, ResNet
from safetensors.torch import load_file  # pip install safetensors (or simclr_tab.load_file from the repo's pytorch/)

${RESNET_PYTHON}

encoder = ${call}
encoder.load_state_dict(load_file('${PYTORCH_ENCODER_FILE}'), strict=True)
head = ${headPython(metadata)}
head.load_state_dict(load_file('${PYTORCH_HEAD_FILE}'), strict=True)
encoder.eval(); head.eval()

${preprocessPython(size, normalization)}
with torch.no_grad():
    h = encoder(preprocess(image).unsqueeze(0))  # image: a PIL RGB image -> h [1, ${metadata.representationDim}]
\`\`\`
`;
}
