import { decodeImageFile, SkippedFileError } from '../core/data/decode-image';

/** RGB bytes (size x size x 3) of one image the person dropped or chose; a file that is no image is named. */
export async function decodeDroppedImage(file: File, size: number): Promise<Uint8Array> {
  try {
    return (await decodeImageFile(file, file.name, size, 0)).rgb;
  } catch (error) {
    if (error instanceof SkippedFileError) throw new Error(`${file.name}: ${error.message}`);
    throw error;
  }
}
