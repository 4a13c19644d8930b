/**
 * Remembered answers to "are the folder names labels?", one per data set fingerprint, so the question is
 * asked once per data set, not after every reload or re-drop. Kept in localStorage (a few bytes each).
 */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const STORAGE_KEY = 'simclr-tab.folder-labels';
/** Answers kept; the oldest go first. */
export const MAX_REMEMBERED = 200;

/** Storage that lasts as long as the page (where the browser blocks site data); `values` for tests to inspect. */
export function inMemoryStorage(): KeyValueStorage & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return { values, getItem: (key) => values.get(key) ?? null, setItem: (key, value) => void values.set(key, value) };
}

export function defaultStorage(): KeyValueStorage {
  try {
    // Reading localStorage throws where the browser blocks site data; Node has none.
    if (typeof localStorage !== 'undefined' && localStorage) return localStorage;
  } catch {}
  return inMemoryStorage();
}

export class FolderLabelMemory {
  constructor(private readonly storage: KeyValueStorage = defaultStorage()) {}

  /** true: the folder names are labels; false: just folders; null: never answered for this data set. */
  answer(fingerprint: string): boolean | null {
    return this.read().find(([key]) => key === fingerprint)?.[1] ?? null;
  }

  remember(fingerprint: string, isLabels: boolean): void {
    const kept = this.read().filter(([key]) => key !== fingerprint);
    kept.push([fingerprint, isLabels]);
    try {
      this.storage.setItem(STORAGE_KEY, JSON.stringify(kept.slice(-MAX_REMEMBERED)));
    } catch {
      // Storage full or blocked: the answer holds for this page only, and is asked again after a reload.
    }
  }

  private read(): [string, boolean][] {
    try {
      const parsed: unknown = JSON.parse(this.storage.getItem(STORAGE_KEY) ?? '[]');
      if (!Array.isArray(parsed)) return [];
      return parsed.filter(
        (entry): entry is [string, boolean] =>
          Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'boolean',
      );
    } catch {
      return [];
    }
  }
}

/** The app's memory, in this browser's localStorage. */
export const folderLabelMemory = new FolderLabelMemory();
