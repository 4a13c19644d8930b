/** The page-wide drop's rule between searching and adding to the data set. */
import type { DroppedItem } from '../../client/folder-walker';

/**
 * The file a drop searches with: exactly one file (not a folder) while the map can answer a search. Anything
 * else (two or more files, a folder, or no map yet) is added to the data set.
 */
export function searchFileOfDrop(items: readonly DroppedItem[], mapReady: boolean): File | null {
  if (!mapReady || items.length !== 1) return null;
  const [item] = items;
  return item?.kind === 'file' ? item.file : null;
}
