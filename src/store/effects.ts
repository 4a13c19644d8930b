/** Browser side effects the store triggers, replaceable in tests (Node has no document to download with). */
import { downloadBlob } from '../client/download';

export const effects = {
  downloadBlob: (blob: Blob, filename: string): void => downloadBlob(blob, filename),
};
