import { useEffect } from 'react';
import { hasUnsavedSteps, useAppStore } from '../../store';

/**
 * Closing or reloading the tab asks first while steps are newer than the last completed save, and
 * never when everything is saved.
 */
export function useWarnBeforeUnload(): void {
  const unsaved = useAppStore(hasUnsavedSteps);
  useEffect(() => {
    if (!unsaved) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older Chromium and Safari show the prompt only when returnValue is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [unsaved]);
}
