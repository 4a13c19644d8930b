/**
 * The classifier archive: `model.json` + `weights.bin` (tfjs LayersModel, softmax output), `classifier.safetensors`
 * (the same network for PyTorch, torchvision names), `labels.json` (output i is labels[i]), `metadata.json` (input
 * size, normalization, architecture, how it was fine-tuned) and a README with the code that loads it in the
 * browser, in Node and in PyTorch (docs/fine-tune.md shows the same code).
 */
import { strToU8, zipSync } from 'fflate';
import type { ClassifierMetadata, FineTuneEvent } from '../protocol/fine-tune';
import { CLASSIFIER_SAFETENSORS_FILE, classifierPytorchReadme } from './classifier-pytorch';

export type ClassifierExportedEvent = Extract<FineTuneEvent, { type: 'classifierExported' }>;

export function classifierZipFileName(metadata: ClassifierMetadata): string {
  return `simclr-classifier-${metadata.labels.length}-classes-step${metadata.stepsTrained}.zip`;
}

/** Loading code shared by the browser and Node: the one preprocessing metadata.json describes. */
export const PREDICT_SNIPPET = `// pixels: Uint8Array of size*size*3 RGB bytes, the image centre-cropped to a square and resized to
// metadata.inputSize (bilinear), as the app does.
function predict(model, metadata, labels, pixels) {
  const [size] = metadata.inputSize;
  const { scale, mean, std } = metadata.normalization;
  const probabilities = tf.tidy(() => {
    const x = tf.tensor4d(pixels, [1, size, size, 3], 'float32').mul(scale).sub(mean).div(std);
    return model.predict(x).dataSync();
  });
  return labels
    .map((label, i) => ({ label, probability: probabilities[i] }))
    .sort((a, b) => b.probability - a.probability);
}`;

/** The README of the archive: what each file is, and loading it in the browser and in Node. */
export function classifierReadme(metadata: ClassifierMetadata): string {
  const [size] = metadata.inputSize;
  return `# Image classifier fine-tuned by simclr-tab

A SimCLR encoder fine-tuned with a linear classifier on ${metadata.trainCount} labelled images
(${Math.round(metadata.fineTune.labelFraction * 100)}% of the labelled ones) for ${metadata.stepsTrained} steps; held-out accuracy
${(metadata.heldOutAccuracy * 100).toFixed(1)}% on ${metadata.testCount} images. Input: ${size} x ${size} RGB, NHWC.

- \`model.json\`, \`weights.bin\`: TensorFlow.js LayersModel; the output is the probability of each label.
- \`${CLASSIFIER_SAFETENSORS_FILE}\`: the same network for PyTorch, torchvision's names (below); it outputs logits.
- \`labels.json\`: the labels in output order (the folder names it was trained with).
- \`metadata.json\`: input size, normalization, architecture, fine-tuning settings.

## In the browser

\`\`\`html
<script src="https://cdn.jsdelivr.net/npm/@tensorflow/tfjs@4.22.0/dist/tf.min.js"></script>
<script type="module">
  const model = await tf.loadLayersModel('model.json'); // served beside weights.bin
  const labels = await (await fetch('labels.json')).json();
  const metadata = await (await fetch('metadata.json')).json();
${indent(PREDICT_SNIPPET, 2)}
</script>
\`\`\`

## In Node

\`\`\`js
// npm install @tensorflow/tfjs (or @tensorflow/tfjs-node for speed: then use tf.io.fileSystem)
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';

const json = JSON.parse(readFileSync('model.json', 'utf8'));
const weights = readFileSync('weights.bin');
const model = await tf.loadLayersModel(
  tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest[0].weights,
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
  }),
);
const labels = JSON.parse(readFileSync('labels.json', 'utf8'));
const metadata = JSON.parse(readFileSync('metadata.json', 'utf8'));
${PREDICT_SNIPPET}
\`\`\`

${classifierPytorchReadme(metadata)}`;
}

function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((line) => pad + line)
    .join('\n');
}

export function buildClassifierZip(event: ClassifierExportedEvent): { blob: Blob; filename: string; bytes: number } {
  const zipped = zipSync(
    {
      'model.json': strToU8(event.modelJson),
      // Weights are float32 and barely compress; storing them saves time.
      'weights.bin': [new Uint8Array(event.weights), { level: 0 }],
      [CLASSIFIER_SAFETENSORS_FILE]: [new Uint8Array(event.safetensors), { level: 0 }],
      'labels.json': strToU8(`${JSON.stringify(event.metadata.labels)}\n`),
      'metadata.json': strToU8(`${JSON.stringify(event.metadata, null, 2)}\n`),
      'README.md': strToU8(classifierReadme(event.metadata)),
    },
    { level: 6 },
  );
  const blob = new Blob([zipped as Uint8Array<ArrayBuffer>], { type: 'application/zip' });
  return { blob, filename: classifierZipFileName(event.metadata), bytes: zipped.byteLength };
}
