import { beforeEach, describe, expect, it } from 'vitest';
import { writeSafetensors } from '../../protocol/safetensors';
import { encoderLayerNames, paramSpecs } from '../../protocol/torchvision-names';
import { useAppStore } from '../app-store';
import { addInputFiles } from '../dataset/actions';
import { startProblems } from '../selectors';
import { endProbe, fakeFiles, type Harness, setUpStore } from '../test-support';
import { setConfig, startTraining } from './actions';
import { chooseStartWeights, clearStartWeights } from './start-weights';

let h: Harness;
const training = () => useAppStore.getState().training;

/** A zero-filled torchvision-named ResNet-18 file at width 1/8, ImageNet stem, with a classifier. */
function resnet18File(name = 'r18.safetensors'): File {
  const specs = paramSpecs(
    encoderLayerNames({ encoder: 'resnet18', widthMultiplier: 0.125, stem: 'imagenet', imageSize: 224 }),
  );
  const tensors = specs.map((p) =>
    p.role === 'bn-count'
      ? { name: p.name, dtype: 'I64' as const, shape: p.shape, data: new BigInt64Array(1) }
      : {
          name: p.name,
          dtype: 'F32' as const,
          shape: p.shape,
          data: new Float32Array(p.shape.reduce((n, d) => n * d, 1)),
        },
  );
  tensors.push({ name: 'fc.weight', dtype: 'F32', shape: [10, 64], data: new Float32Array(640) });
  return new File([writeSafetensors(tensors) as Uint8Array<ArrayBuffer>], name);
}

beforeEach(() => {
  h = setUpStore();
  addInputFiles(fakeFiles(8));
  const { requestId } = h.worker.last('addImages')!;
  h.worker.emit({ type: 'ingestDone', requestId, imageCount: 8, added: 8, skipped: [], cancelled: false });
  endProbe(h);
  setConfig({ batchSize: 4 });
});

describe('start from weights', () => {
  it("takes the file's encoder, stem, widths and input size, and Start sends the file", async () => {
    const file = resnet18File();
    await chooseStartWeights(file);
    expect(training().startWeights.summary).toMatchObject({
      encoder: 'resnet18',
      stem: 'imagenet',
      ignored: ['fc.weight'],
    });
    expect(training().config).toMatchObject({
      encoder: 'resnet18',
      widthMultiplier: 0.125,
      stem: 'imagenet',
      imageSize: 224,
    });
    startTraining();
    expect(h.worker.last('start')?.weights).toBe(file);
  });

  it('a bad file is refused with a message naming it; the file chosen before stays, settings unchanged', async () => {
    await chooseStartWeights(resnet18File());
    const config = training().config;
    await chooseStartWeights(new File([Uint8Array.of(80, 75, 3, 4, 0, 0, 0, 0, 1, 2)], 'model.pth'));
    expect(training().startWeights.error).toMatch(/^model\.pth: Not a safetensors file.*convert it to \.safetensors/);
    expect(training().startWeights.summary?.fileName).toBe('r18.safetensors');
    expect(training().config).toBe(config);
  });

  it('Start is refused once the settings stop matching the file, and sends no file after "Use random weights"', async () => {
    await chooseStartWeights(resnet18File());
    setConfig({ widthMultiplier: 0.25 });
    expect(startProblems(useAppStore.getState()).join(' ')).toMatch(
      /no longer match r18\.safetensors: width multiplier 0\.25/,
    );
    clearStartWeights();
    expect(startProblems(useAppStore.getState())).toEqual([]);
    startTraining();
    expect(h.worker.last('start')).not.toHaveProperty('weights');
  });
});
