import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../../protocol/config';
import { recipeConfig } from '../../protocol/recipe-config';
import { runFromImport } from '../bundle/read-import';

const config = (step: number) => strToU8(JSON.stringify(recipeConfig(DEFAULT_TRAIN_CONFIG, 64, step, 3)));
const weights = (dir: string, tag: number) => ({
  [`${dir}encoder.safetensors`]: Uint8Array.of(tag, 1),
  [`${dir}head.safetensors`]: Uint8Array.of(tag, 2),
  [`${dir}optimizer.safetensors`]: Uint8Array.of(tag, 3),
});
const bytesOf = (buffer: ArrayBuffer) => [...new Uint8Array(buffer)];

describe('importing a zipped PyTorch recipe checkpoint', () => {
  it('takes the latest step of the zipped checkpoints/ folder, with its files.txt', () => {
    const zip = zipSync({
      'checkpoints/step-000500/config.json': config(500),
      'checkpoints/step-000500/files.txt': strToU8('a.png\nb.png\n'),
      ...weights('checkpoints/step-000500/', 5),
      'checkpoints/step-001000/config.json': config(1000),
      'checkpoints/step-001000/files.txt': strToU8('a.png\nc.png\n'),
      ...weights('checkpoints/step-001000/', 10),
    });
    const imported = runFromImport('checkpoints.zip', zip);
    if (imported.kind !== 'recipe') throw new Error('not read as a recipe checkpoint');
    expect(JSON.parse(imported.files.config).step).toBe(1000);
    expect(bytesOf(imported.files.encoder)).toEqual([10, 1]);
    expect(bytesOf(imported.files.head)).toEqual([10, 2]);
    expect(bytesOf(imported.files.optimizer)).toEqual([10, 3]);
    expect(imported.files.fileList).toBe('a.png\nc.png\n');
  });

  it('reads the download itself (weights/ beside config.json)', () => {
    const zip = zipSync({ 'simclr-pytorch/config.json': config(7), ...weights('simclr-pytorch/weights/', 7) });
    const imported = runFromImport('download.zip', zip);
    expect(imported.kind === 'recipe' && bytesOf(imported.files.head)).toEqual([7, 2]);
    expect(imported.kind === 'recipe' && imported.files.fileList).toBeNull();
  });

  it('names the missing files of an incomplete folder', () => {
    const zip = zipSync({ 'step-000002/config.json': config(2), 'step-000002/encoder.safetensors': Uint8Array.of(1) });
    expect(() => runFromImport('partial.zip', zip)).toThrow(
      /partial\.zip: step-000002\/config\.json has no head\.safetensors, optimizer\.safetensors beside it/,
    );
  });

  it('leaves bundles and .simclr files to the checkpoint path', () => {
    expect(runFromImport('run.simclr', strToU8('SIMCLRCK rest')).kind).toBe('checkpoint');
    const bundle = zipSync({ 'checkpoint.simclr': strToU8('SIMCLRCK....'), 'config.json': strToU8('{"other":1}') });
    expect(runFromImport('bundle.zip', bundle)).toMatchObject({ kind: 'checkpoint' });
  });
});
