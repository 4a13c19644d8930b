import { describe, expect, it } from 'vitest';
import { loadSampleImages } from './sample-images';

function fakeFetch(files: string[], missing?: string) {
  let inFlight = 0;
  let maxInFlight = 0;
  const fetchImpl = (async (input: string) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, 1));
    inFlight--;
    const url = String(input);
    if (url.endsWith('manifest.json')) return Response.json({ name: 's', source: 'x', license: 'MIT', files });
    if (missing && url.endsWith(missing)) return new Response('no', { status: 404 });
    return new Response(new Blob([url], { type: 'image/png' }));
  }) as unknown as typeof fetch;
  return { fetchImpl, max: () => maxInFlight };
}

describe('loadSampleImages', () => {
  it('fetches every listed file with bounded concurrency and prefixes paths', async () => {
    const list = Array.from({ length: 20 }, (_, i) => `bag/${String(i).padStart(5, '0')}.png`);
    const { fetchImpl, max } = fakeFetch(list);
    const progress: number[] = [];
    const { files } = await loadSampleImages({
      fetch: fetchImpl,
      baseUrl: '/app/',
      concurrency: 3,
      onProgress: (n) => progress.push(n),
    });
    expect(files).toHaveLength(20);
    expect(files[0]?.path).toBe('fashion-mnist/bag/00000.png');
    expect(files[0]?.file.name).toBe('00000.png');
    expect(max()).toBeLessThanOrEqual(3);
    expect(progress.at(-1)).toBe(20);
  });

  it('names the file that could not be fetched', async () => {
    const { fetchImpl } = fakeFetch(['a/1.png', 'a/2.png'], 'a/2.png');
    await expect(loadSampleImages({ fetch: fetchImpl, baseUrl: '/' })).rejects.toThrow(
      '/sample/fashion-mnist/a/2.png: HTTP 404',
    );
  });
});
