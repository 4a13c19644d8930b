/**
 * What a person picked to import: a checkpoint file, an export bundle (a zip holding one), or a zipped
 * PyTorch recipe checkpoint folder (client/recipe/read-recipe.ts). Anything
 * else is refused with a message that says what was expected.
 */
import { unzipSync } from 'fflate';
import type { RecipeCheckpointFiles } from '../../protocol/recipe-config';
import { recipeCheckpointFromZip } from '../recipe/read-recipe';
import { BUNDLE_FORMAT, CHECKPOINT_FILE } from './build-bundle';

const CHECKPOINT_MAGIC = 'SIMCLRCK';

function startsWith(bytes: Uint8Array, text: string): boolean {
  if (bytes.length < text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[i] !== text.charCodeAt(i)) return false;
  return true;
}

export type ImportedRun = { kind: 'checkpoint'; bytes: Uint8Array } | { kind: 'recipe'; files: RecipeCheckpointFiles };

/** What to send to the worker: our checkpoint, or a PyTorch recipe checkpoint (a zip of its folder). */
export function runFromImport(name: string, bytes: Uint8Array): ImportedRun {
  if (startsWith(bytes, 'PK')) {
    const recipe = recipeCheckpointFromZip(name, unzip(name, bytes));
    if (recipe) return { kind: 'recipe', files: recipe };
  }
  return { kind: 'checkpoint', bytes: checkpointFromImport(name, bytes) };
}

function unzip(name: string, bytes: Uint8Array): Record<string, Uint8Array> {
  try {
    return unzipSync(bytes);
  } catch (error) {
    throw new Error(
      `${name} could not be read as a zip (${error instanceof Error ? error.message : String(error)}): the file is damaged or incomplete.`,
    );
  }
}

/** The checkpoint bytes to send to the worker; throws an Error whose message is for the person. */
export function checkpointFromImport(name: string, bytes: Uint8Array): Uint8Array {
  if (startsWith(bytes, CHECKPOINT_MAGIC)) return bytes;
  if (!startsWith(bytes, 'PK')) {
    throw new Error(`${name} is neither a simclr-tab bundle or PyTorch checkpoint (.zip) nor a checkpoint (.simclr).`);
  }
  const files = unzip(name, bytes);
  const checkpoint = files[CHECKPOINT_FILE];
  if (!checkpoint) {
    const metadata = files['metadata.json'];
    let format = '';
    try {
      format = metadata ? String(JSON.parse(new TextDecoder().decode(metadata)).bundleFormat ?? '') : '';
    } catch {
      format = '';
    }
    throw new Error(
      format === BUNDLE_FORMAT
        ? `${name} is a simclr-tab bundle without ${CHECKPOINT_FILE}: it cannot be imported.`
        : `${name} is not a simclr-tab bundle (it has no ${CHECKPOINT_FILE}). Import a bundle downloaded with "Download bundle", a .simclr checkpoint or a zipped PyTorch checkpoint folder.`,
    );
  }
  if (!startsWith(checkpoint, CHECKPOINT_MAGIC)) throw new Error(`${name}: its ${CHECKPOINT_FILE} is damaged.`);
  return checkpoint;
}
