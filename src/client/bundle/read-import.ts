/**
 * What a person picked to import: a checkpoint file, or an export bundle (a zip holding one). Anything
 * else is refused with a message that says what was expected.
 */
import { unzipSync } from 'fflate';
import { BUNDLE_FORMAT, CHECKPOINT_FILE } from './build-bundle';

const CHECKPOINT_MAGIC = 'SIMCLRCK';

function startsWith(bytes: Uint8Array, text: string): boolean {
  if (bytes.length < text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[i] !== text.charCodeAt(i)) return false;
  return true;
}

/** The checkpoint bytes to send to the worker; throws an Error whose message is for the person. */
export function checkpointFromImport(name: string, bytes: Uint8Array): Uint8Array {
  if (startsWith(bytes, CHECKPOINT_MAGIC)) return bytes;
  if (!startsWith(bytes, 'PK')) {
    throw new Error(`${name} is neither a simclr-tab bundle (.zip) nor a checkpoint (.simclr).`);
  }
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (error) {
    throw new Error(
      `${name} could not be read as a zip (${error instanceof Error ? error.message : String(error)}): the file is damaged or incomplete.`,
    );
  }
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
        : `${name} is not a simclr-tab bundle (it has no ${CHECKPOINT_FILE}). Import a bundle downloaded with "Download bundle" or a .simclr checkpoint.`,
    );
  }
  if (!startsWith(checkpoint, CHECKPOINT_MAGIC)) throw new Error(`${name}: its ${CHECKPOINT_FILE} is damaged.`);
  return checkpoint;
}
