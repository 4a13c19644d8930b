import { useEffect, useState } from 'react';
import type { ChangeSource } from '../../store';

/**
 * The source's version, updated at most once per animation frame however many messages arrive:
 * charts and the thumbnail grid redraw at frame pace, not per worker message.
 */
export function useFrameVersion(source: ChangeSource): number {
  const [version, setVersion] = useState(source.version);
  useEffect(() => {
    let frame = 0;
    const unsubscribe = source.subscribe(() => {
      if (frame === 0) {
        frame = requestAnimationFrame(() => {
          frame = 0;
          setVersion(source.version);
        });
      }
    });
    setVersion(source.version);
    return () => {
      unsubscribe();
      if (frame !== 0) cancelAnimationFrame(frame);
    };
  }, [source]);
  return version;
}
