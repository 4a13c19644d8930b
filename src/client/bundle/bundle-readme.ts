/** README.md of the export bundle: what each file is and how to load the encoder in three places. */
import type { ExportMetadata } from '../../protocol/messages';
import { formatCount, formatLoss } from '../../protocol/number-format';
import { PYTORCH_ENCODER_FILE, PYTORCH_HEAD_FILE, pytorchReadme } from '../pytorch-files';

export function bundleReadme(metadata: ExportMetadata, count: number, dim: number): string {
  const [size] = metadata.inputSize;
  const { mean, std } = metadata.normalization;
  return `# SimCLR encoder exported by simclr-tab ${metadata.appVersion}

Trained for ${formatCount(metadata.stepsTrained)} steps (final loss ${formatLoss(metadata.finalLoss)}) on ${formatCount(metadata.imageCount)} images,
encoder \`${metadata.config.encoder}\`, input ${size} x ${size} RGB, representation size ${metadata.representationDim}.

| file | what it is |
| --- | --- |
| \`model.json\`, \`weights.bin\` | the encoder f as a TensorFlow.js LayersModel (the projection head g is not included) |
| \`metadata.json\` | input size, channel order, normalization, the full training config, steps, loss, data-set fingerprint |
| \`embeddings.npy\` | float32 [${count}, ${dim}]: f of every training image, inference mode |
| \`files.csv\` | the image of each row of \`embeddings.npy\`, same order |
| \`vectors.tsv\`, \`metadata.tsv\` | the same embeddings and file names (and folder labels) for the [Embedding Projector](https://projector.tensorflow.org): Load, then pick both files |
| \`${PYTORCH_ENCODER_FILE}\`, \`${PYTORCH_HEAD_FILE}\` | f and g for PyTorch, torchvision parameter names (see "In PyTorch") |
| \`report/report.md\`, \`report/*.png\`, \`report/metrics.csv\` | charts, settings and figures of the run |
| \`checkpoint.simclr\` | the full training state: import it in simclr-tab to continue training |

## Preprocessing

Centre-crop to a square, resize to ${size} x ${size} (bilinear), RGB bytes / 255, then per channel
\`(x - mean) / std\` with mean = [${mean.join(', ')}] and std = [${std.join(', ')}]. Input layout NHWC.

## In the browser

\`\`\`js
import * as tf from '@tensorflow/tfjs';
const model = await tf.loadLayersModel('https://example.org/encoder/model.json'); // serve model.json + weights.bin
const mean = tf.tensor1d([${mean.join(', ')}]), std = tf.tensor1d([${std.join(', ')}]);
const x = tf.tidy(() => tf.browser.fromPixels(img).resizeBilinear([${size}, ${size}]).div(255).sub(mean).div(std).expandDims(0));
const h = model.predict(x); // [1, ${metadata.representationDim}]
\`\`\`

## In Node

\`\`\`js
import * as tf from '@tensorflow/tfjs'; // or @tensorflow/tfjs-node
import { readFileSync } from 'node:fs';
const json = JSON.parse(readFileSync('model.json', 'utf8'));
const weights = readFileSync('weights.bin');
const model = await tf.loadLayersModel(tf.io.fromMemory({
  modelTopology: json.modelTopology,
  weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
  weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
}));
const h = model.predict(x); // x: [n, ${size}, ${size}, 3] preprocessed as above
\`\`\`

${pytorchReadme(metadata)}
## In Python / Keras

\`\`\`sh
pip install tensorflowjs
tensorflowjs_converter --input_format=tfjs_layers_model --output_format=keras model.json encoder.h5
\`\`\`

\`\`\`python
import numpy as np, tensorflow as tf
model = tf.keras.models.load_model('encoder.h5')
embeddings = np.load('embeddings.npy')          # [${count}, ${dim}] float32
files = open('files.csv').read().splitlines()[1:]  # "index,path"
\`\`\`
`;
}
