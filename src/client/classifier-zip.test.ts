import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FINE_TUNE_CONFIG } from '../protocol/fine-tune';
import { buildClassifierZip, type ClassifierExportedEvent, PREDICT_SNIPPET } from './classifier-zip';

const event: ClassifierExportedEvent = {
  type: 'classifierExported',
  requestId: 1,
  modelJson: '{"format":"layers-model"}',
  weights: new Float32Array([1, 2, 3]).buffer,
  safetensors: new Uint8Array([7, 8, 9]).buffer,
  metadata: {
    format: 'simclr-tab-classifier',
    appVersion: '0.1.0',
    createdAt: '2026-12-04T00:00:00.000Z',
    inputSize: [28, 28, 3],
    channelOrder: 'RGB',
    inputLayout: 'NHWC',
    preprocessing: 'as the app',
    normalization: { scale: 1 / 255, mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] },
    output: 'probabilities',
    labels: ['bag', 'coat'],
    fineTune: DEFAULT_FINE_TUNE_CONFIG,
    stepsTrained: 40,
    heldOutAccuracy: 0.875,
    trainCount: 16,
    testCount: 8,
    encoderSteps: 100,
    architecture: {
      encoder: 'resnet-small',
      imageSize: 28,
      widthMultiplier: 0.25,
      stem: 'auto',
      projectionHead: 'v2',
      projectionHidden: 32,
      projectionDim: 16,
      representationDim: 128,
    },
  },
};

describe('classifier archive', () => {
  it('holds the model, weights, labels in output order, metadata and a README for the browser and Node', async () => {
    const { blob, filename } = buildClassifierZip(event);
    expect(filename).toBe('simclr-classifier-2-classes-step40.zip');
    const files = unzipSync(new Uint8Array(await blob.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual([
      'README.md',
      'classifier.safetensors',
      'labels.json',
      'metadata.json',
      'model.json',
      'weights.bin',
    ]);
    expect(JSON.parse(strFromU8(files['labels.json']!))).toEqual(['bag', 'coat']);
    expect(JSON.parse(strFromU8(files['metadata.json']!)).heldOutAccuracy).toBe(0.875);
    expect(new Float32Array(files['weights.bin']!.slice().buffer)).toEqual(new Float32Array([1, 2, 3]));
    expect(files['classifier.safetensors']).toEqual(new Uint8Array([7, 8, 9]));
    const readme = strFromU8(files['README.md']!);
    expect(readme).toContain('held-out accuracy\n87.5% on 8 images');
    expect(readme).toContain('## In the browser');
    expect(readme).toContain('## In Node');
    expect(readme).toContain('## In PyTorch');
    expect(readme).toContain(PREDICT_SNIPPET);
  });

  it('docs/fine-tune.md shows the same loading code as the README in the download', () => {
    const docs = readFileSync(new URL('../../docs/fine-tune.md', import.meta.url), 'utf8');
    expect(docs).toContain(PREDICT_SNIPPET);
  });
});
