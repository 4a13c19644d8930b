/// <reference types="node" />
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../../protocol/config';
import type { ExportMetadata } from '../../protocol/messages';
import { parseRecipeConfig } from '../../protocol/recipe-config';
import type { ExportedEvent } from '../encoder-zip';
import { buildRecipeZip } from './recipe-zip';

const PYTORCH = fileURLToPath(new URL('../../../pytorch/', import.meta.url));

function exported(imagePaths: string[]): ExportedEvent {
  const metadata = { config: { ...DEFAULT_TRAIN_CONFIG, encoder: 'resnet-small' }, stepsTrained: 37 } as ExportMetadata;
  return {
    type: 'exported',
    requestId: 1,
    modelJson: '{}',
    weights: new ArrayBuffer(4),
    metadata,
    pytorch: {
      encoder: Uint8Array.of(1, 2).buffer,
      head: Uint8Array.of(3).buffer,
      optimizer: Uint8Array.of(4, 5).buffer,
    },
    imagePaths,
  };
}

describe('the "Continue on GPUs (PyTorch)" zip', () => {
  it('is one folder with train.py, the whole simclr_tab package, config, file list, weights and README', async () => {
    const { blob, filename } = buildRecipeZip(exported(['shoes/a.png', 'bags/b c.jpg']), 48);
    expect(filename).toBe('simclr-pytorch-resnet-small-step37.zip');
    const files = unzipSync(new Uint8Array(await blob.arrayBuffer()));
    const folder = 'simclr-pytorch-resnet-small-step37/';
    expect(Object.keys(files).every((name) => name.startsWith(folder))).toBe(true);
    const text = (name: string) => strFromU8(files[folder + name]!);
    expect(text('train.py')).toBe(readFileSync(`${PYTORCH}recipe/train.py`, 'utf8'));
    expect(text('README.md')).toBe(readFileSync(`${PYTORCH}recipe/README.md`, 'utf8'));
    const modules = readdirSync(`${PYTORCH}simclr_tab`).filter((f) => f.endsWith('.py'));
    expect(modules).toContain('ntxent.py');
    for (const module of modules)
      expect(text(`simclr_tab/${module}`)).toBe(readFileSync(`${PYTORCH}simclr_tab/${module}`, 'utf8'));
    const config = parseRecipeConfig(text('config.json'), 'config.json');
    expect(config).toMatchObject({ step: 37, storeSize: 48, imageCount: 2 });
    expect(config.train.encoder).toBe('resnet-small');
    expect(text('files.txt')).toBe('shoes/a.png\nbags/b c.jpg\n');
    expect([...files[`${folder}weights/encoder.safetensors`]!]).toEqual([1, 2]);
    expect([...files[`${folder}weights/head.safetensors`]!]).toEqual([3]);
    expect([...files[`${folder}weights/optimizer.safetensors`]!]).toEqual([4, 5]);
  });

  it('refuses a run without images or an export without optimizer state, saying why', () => {
    expect(() => buildRecipeZip(exported([]), 64)).toThrow(/load the data set first/);
    const withoutSlots = exported(['a.png']);
    withoutSlots.pytorch.optimizer = null;
    expect(() => buildRecipeZip(withoutSlots, 64)).toThrow(/no optimizer state/);
  });
});
