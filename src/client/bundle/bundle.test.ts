import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../../protocol/config';
import type { ExportMetadata } from '../../protocol/messages';
import { BUNDLE_FILES, buildBundle } from './build-bundle';
import { filesCsv } from './files-csv';
import { metricsCsv } from './metrics-csv';
import { float32Npy, readFloat32Npy } from './npy';
import { checkpointFromImport } from './read-import';

const checkpoint = strToU8('SIMCLRCK\u0002\u0000\u0000\u0000{}');

describe('npy', () => {
  it('writes a v1.0 header padded to 64 bytes and the values bit for bit', () => {
    const values = Float32Array.from([1.5, -2, Math.fround(0.1), 3, 4, Number.NaN]);
    const npy = float32Npy(values, 2, 3);
    expect(Array.from(npy.subarray(0, 8))).toEqual([0x93, 78, 85, 77, 80, 89, 1, 0]);
    const headerLength = npy[8]! + npy[9]! * 256;
    expect((10 + headerLength) % 64).toBe(0);
    expect(String.fromCharCode(...npy.subarray(10, 10 + headerLength))).toMatch(
      /^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/,
    );
    const back = readFloat32Npy(npy);
    expect(back.shape).toEqual([2, 3]);
    expect(Array.from(back.values.subarray(0, 5))).toEqual(Array.from(values.subarray(0, 5)));
    expect(back.values[5]).toBeNaN();
  });

  it('refuses a shape that does not match', () => {
    expect(() => float32Npy(new Float32Array(5), 2, 3)).toThrow(/do not make 2 x 3/);
  });
});

describe('csv files', () => {
  it('quotes paths with commas and quotes', () => {
    expect(filesCsv(['a/b.png', 'c,d.png', 'say "hi".png'])).toBe(
      'index,path\n0,a/b.png\n1,"c,d.png"\n2,"say ""hi"".png"\n',
    );
  });

  it('writes metrics with the float32 loss exactly and the matching learning rate', () => {
    const loss = Math.fround(2.123456789);
    const csv = metricsCsv({ steps: [1, 2], values: [loss, 2] }, { steps: [2], values: [0.001] });
    expect(csv).toBe(`step,loss,learning_rate\n1,${loss},\n2,2,0.001\n`);
    expect(Math.fround(Number(csv.split('\n')[1]!.split(',')[1]))).toBe(loss);
  });
});

describe('bundle', () => {
  const metadata = {
    appVersion: '0.1.0',
    inputSize: [16, 16, 3],
    normalization: { scale: 1 / 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
    config: DEFAULT_TRAIN_CONFIG,
    stepsTrained: 7,
    finalLoss: 4.852013111114502,
    representationDim: 2,
    imageCount: 3,
    backend: 'cpu',
    createdAt: 'now',
  } as unknown as ExportMetadata;

  it('holds every named file, and its checkpoint imports back', () => {
    const { blob, filename } = buildBundle({
      modelJson: '{}',
      weights: new ArrayBuffer(8),
      pytorch: { encoder: Uint8Array.of(1).buffer, head: Uint8Array.of(2).buffer, optimizer: Uint8Array.of(3).buffer },
      metadata,
      embeddings: Float32Array.from([1, 2, 3, 4, 5, 6]),
      count: 3,
      dim: 2,
      paths: ['a.png', 'b.png', 'c.png'],
      datasetFingerprint: '3x16px-00',
      checkpoint: checkpoint.slice().buffer,
      metricsCsv: 'step,loss,learning_rate\n',
      charts: [{ name: 'loss.png', title: 'Loss', png: Uint8Array.of(137, 80, 78, 71) }],
    });
    expect(filename).toBe('simclr-bundle-resnet18-step7.zip');
    expect(blob.type).toBe('application/zip');
    return blob.arrayBuffer().then((buffer) => {
      const zip = new Uint8Array(buffer);
      const files = unzipSync(zip);
      for (const name of BUNDLE_FILES) expect(Object.keys(files)).toContain(name);
      expect(Object.keys(files)).toContain('report/loss.png');
      expect(new TextDecoder().decode(files['report/report.md'])).toContain('![Loss](loss.png)');
      // Rounded for people in the README and report; metadata.json keeps the exact value.
      expect(new TextDecoder().decode(files['report/report.md'])).toContain('| final loss | 4.852 (exact');
      expect(new TextDecoder().decode(files['README.md'])).toContain('(final loss 4.852) on 3 images');
      expect(new TextDecoder().decode(files['README.md'])).toContain(
        'tensorflowjs_converter --input_format=tfjs_layers_model --output_format=keras',
      );
      const meta = JSON.parse(new TextDecoder().decode(files['metadata.json']));
      expect(meta).toMatchObject({
        bundleFormat: 'simclr-tab-bundle',
        datasetFingerprint: '3x16px-00',
        stepsTrained: 7,
        finalLoss: 4.852013111114502,
      });
      expect(readFloat32Npy(files['embeddings.npy']!).shape).toEqual([3, 2]);
      expect(new TextDecoder().decode(files['vectors.tsv'])).toBe('1\t2\n3\t4\n5\t6\n');
      expect(new TextDecoder().decode(files['metadata.tsv'])).toBe('a.png\nb.png\nc.png\n');
      expect(new TextDecoder().decode(files['README.md'])).toContain(
        "encoder.load_state_dict(load_file('encoder.safetensors'), strict=True)",
      );
      expect(checkpointFromImport('b.zip', zip)).toEqual(checkpoint);
    });
  });

  it('refuses foreign and corrupt files with a message naming them', () => {
    expect(checkpointFromImport('c.simclr', checkpoint)).toBe(checkpoint);
    expect(() => checkpointFromImport('photo.png', Uint8Array.of(137, 80, 78, 71))).toThrow(
      /photo\.png is neither a simclr-tab bundle or PyTorch checkpoint \(\.zip\) nor a checkpoint/,
    );
    const foreign = zipSync({ 'notes.txt': strToU8('hello') });
    expect(() => checkpointFromImport('other.zip', foreign)).toThrow(/other\.zip is not a simclr-tab bundle/);
    const truncated = foreign.slice(0, 20);
    expect(() => checkpointFromImport('cut.zip', truncated)).toThrow(/cut\.zip could not be read as a zip/);
  });
});
