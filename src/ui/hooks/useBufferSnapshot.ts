import { useRef } from 'react';
import type { ChangeSource } from '../../store';
import { useFrameVersion } from './useFrameVersion';

/** `read()` of a buffer, recomputed only when the buffer changed (at most once per frame). */
export function useBufferSnapshot<T>(source: ChangeSource, read: () => T): T {
  const version = useFrameVersion(source);
  const cache = useRef<{ version: number; value: T } | null>(null);
  if (cache.current === null || cache.current.version !== version) cache.current = { version, value: read() };
  return cache.current.value;
}
