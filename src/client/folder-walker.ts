/**
 * Turns what a person dropped or chose into `InputFile[]` with paths relative to the dropped folder
 * ('photos/cats/a.jpg'). Written against small structural interfaces so tests can use fake entries.
 *
 * Entries must be taken from a DataTransfer synchronously inside the drop handler (`entriesFromDataTransfer`):
 * the items are emptied once the event returns. Walking them is asynchronous.
 */
import type { InputFile, SkippedFile } from '../protocol/messages';

type ErrorCallback = (error: unknown) => void;

export interface FileEntryLike {
  readonly isFile: true;
  readonly isDirectory: false;
  readonly name: string;
  file(success: (file: File) => void, failure?: ErrorCallback): void;
}

export interface DirectoryReaderLike {
  /** Returns a chunk of entries per call; an empty array means the directory is exhausted. */
  readEntries(success: (entries: EntryLike[]) => void, failure?: ErrorCallback): void;
}

export interface DirectoryEntryLike {
  readonly isFile: false;
  readonly isDirectory: true;
  readonly name: string;
  createReader(): DirectoryReaderLike;
}

export type EntryLike = FileEntryLike | DirectoryEntryLike;

/** What a drop gave: an entry (folder or file) where the browser supports it, else a plain File. */
export type DroppedItem = { kind: 'entry'; entry: EntryLike } | { kind: 'file'; file: File };

export interface WalkResult {
  files: InputFile[];
  /** Files or folders that could not be read, with the reason. */
  failures: SkippedFile[];
}

export interface WalkOptions {
  signal?: AbortSignal;
  /** Called with the number of files found so far. */
  onProgress?: (found: number) => void;
}

interface DataTransferItemLike {
  readonly kind: string;
  webkitGetAsEntry?(): unknown;
  getAsFile(): File | null;
}

export interface DataTransferLike {
  readonly items?: ArrayLike<DataTransferItemLike> | null;
  readonly files?: ArrayLike<File> | null;
}

/** Hidden files ('.DS_Store', '._a.jpg', '.git') are never images a person meant to add. */
export function isHidden(name: string): boolean {
  return name.startsWith('.') || name === 'Thumbs.db' || name === 'desktop.ini';
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (error && typeof error === 'object' && 'name' in error) return String((error as { name: unknown }).name);
  return String(error);
}

function readFile(entry: FileEntryLike): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

function readChunk(reader: DirectoryReaderLike): Promise<EntryLike[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

/** Read every entry of a directory: readEntries returns chunks (about 100 in Chromium) until an empty one. */
export async function readAllEntries(directory: DirectoryEntryLike): Promise<EntryLike[]> {
  const reader = directory.createReader();
  const all: EntryLike[] = [];
  for (;;) {
    const chunk = await readChunk(reader);
    if (chunk.length === 0) return all;
    all.push(...chunk);
  }
}

function join(parent: string, name: string): string {
  return parent ? `${parent}/${name}` : name;
}

/** Recursively collect files below the given entries; read failures are reported, never thrown. */
export async function walkEntries(entries: readonly EntryLike[], options: WalkOptions = {}): Promise<WalkResult> {
  const result: WalkResult = { files: [], failures: [] };
  const visit = async (entry: EntryLike, parent: string): Promise<void> => {
    options.signal?.throwIfAborted();
    if (isHidden(entry.name)) return;
    const path = join(parent, entry.name);
    if (entry.isFile) {
      try {
        result.files.push({ file: await readFile(entry), path });
        options.onProgress?.(result.files.length);
      } catch (error) {
        result.failures.push({ path, reason: `Could not read the file: ${errorText(error)}` });
      }
      return;
    }
    let children: EntryLike[];
    try {
      children = await readAllEntries(entry);
    } catch (error) {
      result.failures.push({ path: `${path}/`, reason: `Could not read the folder: ${errorText(error)}` });
      return;
    }
    children.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
    for (const child of children) await visit(child, path);
  };
  for (const entry of entries) await visit(entry, '');
  return result;
}

/** Walk dropped items: folders recursively, plain files as they are. */
export async function walkDroppedItems(items: readonly DroppedItem[], options: WalkOptions = {}): Promise<WalkResult> {
  const entries: EntryLike[] = [];
  const plain: File[] = [];
  for (const item of items) {
    if (item.kind === 'entry') entries.push(item.entry);
    else plain.push(item.file);
  }
  const walked = await walkEntries(entries, options);
  const fromPlain = filesFromFileList(plain);
  return { files: [...walked.files, ...fromPlain], failures: walked.failures };
}

function isEntry(value: unknown): value is EntryLike {
  return !!value && typeof value === 'object' && 'isFile' in value && 'isDirectory' in value && 'name' in value;
}

/** Capture a drop's items. Call synchronously in the drop handler, before any await. */
export function entriesFromDataTransfer(dataTransfer: DataTransferLike): DroppedItem[] {
  const dropped: DroppedItem[] = [];
  const items = dataTransfer.items;
  if (items && items.length > 0) {
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (item?.kind !== 'file') continue;
      // Only folders need the entry API; a dropped file is taken as a File (entries of a DataTransfer
      // built in script, as end-to-end tests do, cannot be read).
      const entry = item.webkitGetAsEntry?.();
      const file = item.getAsFile();
      if (isEntry(entry) && (entry.isDirectory || !file)) dropped.push({ kind: 'entry', entry });
      else if (file) dropped.push({ kind: 'file', file });
    }
    return dropped;
  }
  for (const file of Array.from(dataTransfer.files ?? [])) dropped.push({ kind: 'file', file });
  return dropped;
}

/** Files from `<input type=file>`: `webkitRelativePath` ('photos/cats/a.jpg') when a folder was chosen. */
export function filesFromFileList(files: ArrayLike<File>): InputFile[] {
  const result: InputFile[] = [];
  for (const file of Array.from(files)) {
    const path = file.webkitRelativePath || file.name;
    if (path.split('/').some(isHidden)) continue;
    result.push({ file, path });
  }
  return result;
}
