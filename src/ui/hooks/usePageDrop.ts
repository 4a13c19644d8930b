import { useEffect, useState } from 'react';
import { addDroppedItems, entriesFromDataTransfer, evaluation, searchWithDrop } from '../../store';
import { useBufferSnapshot } from './useBufferSnapshot';

function hasFiles(event: DragEvent): boolean {
  return !!event.dataTransfer && Array.from(event.dataTransfer.types).includes('Files');
}

/**
 * Accept files and folders dropped anywhere on the page (the drop zone is the visual target). Once the map
 * exists one dropped image searches instead (store/evaluation/drop-search.ts), also while adding is not allowed.
 * Returns whether files are being dragged over the page, for highlighting.
 */
export function usePageDrop(enabled: boolean): boolean {
  const [dragging, setDragging] = useState(false);
  const mapReady = useBufferSnapshot(evaluation, () => evaluation.map !== null);
  useEffect(() => {
    let depth = 0;
    const onEnter = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      depth++;
      setDragging(true);
    };
    const onOver = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault(); // without this the browser opens the file instead of dropping it
      if (event.dataTransfer) event.dataTransfer.dropEffect = enabled || mapReady ? 'copy' : 'none';
    };
    const onLeave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const onDrop = (event: DragEvent) => {
      if (!event.dataTransfer) return;
      // A drop onto a file input (e.g. "Embed an image") is that input's own business.
      if (event.target instanceof HTMLInputElement && event.target.type === 'file') {
        depth = 0;
        setDragging(false);
        return;
      }
      event.preventDefault();
      depth = 0;
      setDragging(false);
      // Entries must be taken now: the DataTransfer is emptied when this handler returns.
      const items = entriesFromDataTransfer(event.dataTransfer);
      if (!searchWithDrop(items)) void addDroppedItems(items);
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, [enabled, mapReady]);
  return dragging;
}
