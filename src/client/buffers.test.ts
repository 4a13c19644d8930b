import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../protocol/config';
import type { ExportMetadata, MetricsPayload } from '../protocol/messages';
import { buildEncoderZip } from './encoder-zip';
import { MetricsBuffer, RingSeries } from './metrics-buffer';
import { ThumbnailStore } from './thumbnail-store';

function metricsEvent(firstStep: number, losses: number[], size = 2): MetricsPayload {
  return {
    firstStep,
    losses: Float32Array.from(losses),
    learningRates: Float32Array.from(losses.map(() => 0.001)),
    imagesPerSecond: 100,
    etaSeconds: 10,
    positiveSimilarity: 0.5,
    negativeSimilarity: 0.1,
    similarity: new Float32Array(size * size).fill(0.25),
    similaritySize: size,
  };
}

describe('RingSeries', () => {
  it('keeps the newest points in order once full', () => {
    const ring = new RingSeries(3);
    for (let i = 1; i <= 5; i++) ring.push(i, i * 10);
    const { steps, values } = ring.toArrays();
    expect([...steps]).toEqual([3, 4, 5]);
    expect([...values]).toEqual([30, 40, 50]);
    expect(ring.last()).toEqual({ step: 5, value: 50 });
  });
});

describe('MetricsBuffer', () => {
  it('appends per-step values, one similarity point per event, and bumps the version', () => {
    const buffer = new MetricsBuffer(100);
    let notified = 0;
    buffer.subscribe(() => notified++);
    buffer.push(metricsEvent(1, [4, 3.9, 3.8]));
    buffer.push(metricsEvent(4, [3.7, 3.6, 3.5]));
    expect(buffer.loss.length).toBe(6);
    expect(buffer.positive.toArrays().steps).toEqual(Float64Array.from([3, 6]));
    expect(buffer.similarity?.size).toBe(2);
    expect(buffer.version).toBe(2);
    expect(notified).toBe(2);
  });

  it('starts over when steps go backwards (a new run)', () => {
    const buffer = new MetricsBuffer(100);
    buffer.push(metricsEvent(1, [4, 3.9]));
    buffer.push(metricsEvent(1, [5]));
    expect(buffer.loss.length).toBe(1);
    expect(buffer.positive.length).toBe(1);
  });
});

describe('ThumbnailStore', () => {
  it('places thumbnails at their start index and grows', () => {
    const store = new ThumbnailStore();
    const size = 2;
    const make = (startIndex: number, count: number, value: number) => ({
      type: 'thumbnails' as const,
      startIndex,
      count,
      size,
      pixels: new Uint8ClampedArray(count * size * size * 4).fill(value),
      paths: Array.from({ length: count }, (_, i) => `p${startIndex + i}.png`),
    });
    store.add(make(0, 200, 1));
    store.add(make(200, 300, 2));
    expect(store.count).toBe(500);
    expect(store.pixelsAt(0)?.[0]).toBe(1);
    expect(store.pixelsAt(499)?.[15]).toBe(2);
    expect(store.pathAt(250)).toBe('p250.png');
    expect(store.pixelsAt(500)).toBeNull();
    store.clear();
    expect(store.count).toBe(0);
  });
});

describe('buildEncoderZip', () => {
  it('zips model.json, weights.bin, pretty metadata.json and the PyTorch files under a descriptive name', () => {
    const metadata = {
      format: 'simclr-tab-encoder',
      config: { ...DEFAULT_TRAIN_CONFIG, encoder: 'resnet-small' },
      stepsTrained: 120,
      inputSize: [32, 32, 3],
      normalization: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
      representationDim: 512,
    } as unknown as ExportMetadata;
    const weights = Float32Array.from([1, 2, 3]).buffer;
    const { blob, filename } = buildEncoderZip({
      type: 'exported',
      requestId: 1,
      modelJson: '{"weightsManifest":[{"paths":["weights.bin"]}]}',
      weights,
      metadata,
      imagePaths: [],
      pytorch: {
        encoder: Uint8Array.of(1, 2).buffer,
        head: Uint8Array.of(3).buffer,
        optimizer: Uint8Array.of(4).buffer,
      },
    });
    expect(filename).toBe('simclr-encoder-resnet-small-step120.zip');
    return blob.arrayBuffer().then((buf) => {
      const files = unzipSync(new Uint8Array(buf));
      expect(Object.keys(files).sort()).toEqual([
        'README.md',
        'encoder.safetensors',
        'metadata.json',
        'model.json',
        'projection_head.safetensors',
        'weights.bin',
      ]);
      expect([...(files['encoder.safetensors'] as Uint8Array)]).toEqual([1, 2]);
      expect(strFromU8(files['README.md'] as Uint8Array)).toContain(
        'simclr_tab_resnet(BasicBlock, [1, 1, 1, 1], [64, 128, 256, 512], cifar_stem=True)',
      );
      expect(new Float32Array((files['weights.bin'] as Uint8Array).slice().buffer)).toEqual(
        Float32Array.from([1, 2, 3]),
      );
      expect(strFromU8(files['metadata.json'] as Uint8Array)).toContain('\n  "stepsTrained": 120');
    });
  });
});
