/// <reference types="vite/client" />
/**
 * The bundled sample set: a manifest plus PNG files under `public/sample/fashion-mnist/`.
 * Files are fetched with bounded concurrency; every failure names the file.
 */
import type { InputFile } from '../protocol/messages';

export interface SampleManifest {
  name: string;
  source: string;
  license: string;
  /** Paths relative to the manifest's folder, e.g. 't-shirt-top/00000.png'. */
  files: string[];
}

export interface SampleLoadOptions {
  signal?: AbortSignal;
  onProgress?: (loaded: number, total: number) => void;
  concurrency?: number;
  /** Base URL of the app ('/' by default: `import.meta.env.BASE_URL`). */
  baseUrl?: string;
  fetch?: typeof fetch;
}

export interface SampleSet {
  manifest: SampleManifest;
  files: InputFile[];
}

export const SAMPLE_FOLDER = 'fashion-mnist';

function appBaseUrl(): string {
  return import.meta.env.BASE_URL;
}

function isManifest(value: unknown): value is SampleManifest {
  if (!value || typeof value !== 'object') return false;
  const v = value as Partial<SampleManifest>;
  return Array.isArray(v.files) && v.files.every((f) => typeof f === 'string');
}

function mimeFor(path: string): string {
  const ext = path.split('.').pop()?.toLowerCase();
  if (ext === 'jpg' || ext === 'jpeg') return 'image/jpeg';
  if (ext === 'webp') return 'image/webp';
  return 'image/png';
}

/** Fetch the sample manifest and then every file it lists; resolves with `fashion-mnist/<file>` paths. */
export async function loadSampleImages(options: SampleLoadOptions = {}): Promise<SampleSet> {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const base = `${options.baseUrl ?? appBaseUrl()}sample/${SAMPLE_FOLDER}/`;
  const signal = options.signal;
  const manifestUrl = `${base}manifest.json`;

  const response = await doFetch(manifestUrl, signal ? { signal } : {});
  if (!response.ok) throw new Error(`Could not fetch ${manifestUrl}: HTTP ${response.status}`);
  const manifest: unknown = await response.json();
  if (!isManifest(manifest)) throw new Error(`${manifestUrl} is not a sample manifest (no "files" list).`);

  const total = manifest.files.length;
  const files: InputFile[] = new Array(total);
  let next = 0;
  let loaded = 0;
  options.onProgress?.(0, total);

  const worker = async (): Promise<void> => {
    while (next < total) {
      const index = next++;
      const relative = manifest.files[index] as string;
      const url = `${base}${relative}`;
      const res = await doFetch(url, signal ? { signal } : {});
      if (!res.ok) throw new Error(`Could not fetch ${url}: HTTP ${res.status}`);
      const blob = await res.blob();
      const name = relative.split('/').pop() || relative;
      files[index] = {
        file: new File([blob], name, { type: blob.type || mimeFor(relative) }),
        path: `${SAMPLE_FOLDER}/${relative}`,
      };
      loaded++;
      options.onProgress?.(loaded, total);
    }
  };
  const lanes = Math.max(1, Math.min(options.concurrency ?? 8, total));
  await Promise.all(Array.from({ length: lanes }, worker));
  return { manifest, files };
}
