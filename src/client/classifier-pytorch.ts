/**
 * The classifier's PyTorch file (classifier.safetensors) in the download, and the Python in its README that
 * loads it with strict=True into simclr-tab's torchvision ResNet (pytorch-files.ts's builder) with `fc` as the
 * classifier: names from protocol/torchvision-names.ts classifierLayerNames.
 */
import type { ClassifierMetadata } from '../protocol/fine-tune';
import { preprocessPython, RESNET_PYTHON, resnetPython } from './pytorch-files';

export const CLASSIFIER_SAFETENSORS_FILE = 'classifier.safetensors';

/** `fc` as nn.Linear, or as nn.Sequential with the projection head's first layer (SimCLR v2 option). */
function fcPython(metadata: ClassifierMetadata): string {
  const { projectionHead, projectionHidden: hidden, representationDim: d } = metadata.architecture;
  const classes = metadata.labels.length;
  if (!metadata.fineTune.fromHeadLayer) return `nn.Linear(${d}, ${classes})`;
  if (projectionHead === 'v1')
    return `nn.Sequential(nn.Linear(${d}, ${hidden}), nn.ReLU(), nn.Linear(${hidden}, ${classes}))`;
  return `nn.Sequential(
    nn.Linear(${d}, ${hidden}, bias=False), nn.BatchNorm1d(${hidden}), nn.ReLU(), nn.Linear(${hidden}, ${classes}))`;
}

/** Whether torchvision.models.resnet18(num_classes) itself has this classifier's shape. */
function isPlainResnet18(metadata: ClassifierMetadata): boolean {
  const { encoder, widthMultiplier, stem, imageSize } = metadata.architecture;
  const imagenetStem = stem === 'imagenet' || (stem === 'auto' && imageSize > 64);
  return encoder === 'resnet18' && widthMultiplier === 1 && imagenetStem && !metadata.fineTune.fromHeadLayer;
}

/** The README's PyTorch section: build, load strictly, preprocess as the app does, softmax. */
export function classifierPytorchReadme(metadata: ClassifierMetadata): string {
  const [size] = metadata.inputSize;
  const { block, call } = resnetPython(metadata.architecture);
  const classes = metadata.labels.length;
  const plain = isPlainResnet18(metadata)
    ? `\nThis one is torchvision's ResNet-18 itself: \`torchvision.models.resnet18(num_classes=${classes})\` loads it too.\n`
    : '';
  const fc = metadata.fineTune.fromHeadLayer
    ? `\`fc\` is an \`nn.Sequential\`: the projection head's first layer (kept for fine-tuning, SimCLR v2) and then
the linear classifier, numbered as the projection head's \`nn.Sequential\`.`
    : `\`fc\` is the linear classifier, as in \`torchvision.models.resnet18(num_classes=${classes})\`.`;
  return `## In PyTorch

\`${CLASSIFIER_SAFETENSORS_FILE}\` holds the same network with torchvision's ResNet parameter names and layouts
(\`conv1.weight\` OIHW, \`layer1.0.bn1.running_mean\`, ..., \`fc.weight\` [classes, features]);
${fc}
The model gives logits; their softmax is the probabilities the app shows. torchvision's ResNet has no width
multiplier and only the ImageNet stem, so the model is built with this classifier's widths and stem:
${plain}
\`\`\`python
import json
import torch
from torch import nn
from torchvision import transforms
from torchvision.models.resnet import ${block}, ResNet
from safetensors.torch import load_file  # pip install safetensors (or simclr_tab.load_file from the repo's pytorch/)

${RESNET_PYTHON}

model = ${call}
model.fc = ${fcPython(metadata)}
model.load_state_dict(load_file('${CLASSIFIER_SAFETENSORS_FILE}'), strict=True)
model.eval()
labels = json.load(open('labels.json'))

${preprocessPython(size, metadata.normalization)}
with torch.no_grad():
    probabilities = torch.softmax(model(preprocess(image).unsqueeze(0)), dim=1)[0]  # image: a PIL RGB image
top5 = sorted(zip(labels, probabilities.tolist()), key=lambda p: -p[1])[:5]
\`\`\`

With this repository's \`pytorch/\` on the path, \`simclr_tab.load_classifier('${CLASSIFIER_SAFETENSORS_FILE}')\` builds and
loads the same model from the file's metadata.
`;
}
