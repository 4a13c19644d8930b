/**
 * "Continue on GPUs (PyTorch)": one folder, zipped, with pytorch/recipe/train.py, the simclr_tab package
 * it imports, the run's config.json, files.txt (the images trained on), weights/ (encoder, head and
 * optimizer state as safetensors) and a README. The Python is the repository's, bundled as text by Vite.
 */
import { strToU8, type Zippable, zipSync } from 'fflate';
import readme from '../../../pytorch/recipe/README.md?raw';
import trainPy from '../../../pytorch/recipe/train.py?raw';
import { recipeConfig } from '../../protocol/recipe-config';
import type { ExportedEvent } from '../encoder-zip';

const PACKAGE = import.meta.glob<string>('../../../pytorch/simclr_tab/*.py', {
  query: '?raw',
  import: 'default',
  eager: true,
});

/** The zip's top folder (and file) name. */
export function recipeFolderName(event: Pick<ExportedEvent, 'metadata'>): string {
  return `simclr-pytorch-${event.metadata.config.encoder}-step${event.metadata.stepsTrained}`;
}

/** Files of the folder by relative path (text as strings, weights as bytes). */
export function recipeFiles(event: ExportedEvent, storeSize: number): Record<string, string | Uint8Array> {
  if (event.imagePaths.length === 0)
    throw new Error('The run has no images to list in files.txt: load the data set first.');
  const { optimizer } = event.pytorch;
  if (!optimizer) throw new Error('The export has no optimizer state: ask for it with the recipe download.');
  const { config, stepsTrained } = event.metadata;
  const files: Record<string, string | Uint8Array> = {
    'README.md': readme,
    'train.py': trainPy,
    'config.json': `${JSON.stringify(recipeConfig(config, storeSize, stepsTrained, event.imagePaths.length), null, 2)}\n`,
    'files.txt': `${event.imagePaths.join('\n')}\n`,
    'weights/encoder.safetensors': new Uint8Array(event.pytorch.encoder),
    'weights/head.safetensors': new Uint8Array(event.pytorch.head),
    'weights/optimizer.safetensors': new Uint8Array(optimizer),
  };
  for (const [path, text] of Object.entries(PACKAGE)) files[`simclr_tab/${path.split('/').pop()}`] = text;
  return files;
}

export function buildRecipeZip(
  event: ExportedEvent,
  storeSize: number,
): { blob: Blob; filename: string; bytes: number } {
  const folder = recipeFolderName(event);
  const entries: Zippable = {};
  // Weights barely compress: stored. Text deflated.
  for (const [path, content] of Object.entries(recipeFiles(event, storeSize)))
    entries[`${folder}/${path}`] = typeof content === 'string' ? strToU8(content) : [content, { level: 0 }];
  const zipped = zipSync(entries, { level: 6 });
  const blob = new Blob([zipped as Uint8Array<ArrayBuffer>], { type: 'application/zip' });
  return { blob, filename: `${folder}.zip`, bytes: zipped.byteLength };
}
