/** Whether the folder names of the loaded images are labels: asked once per data set, remembered, changeable. */
import { folderLabelMemory } from '../../client/folder-label-memory';
import type { DatasetFolders } from '../../protocol/evaluation';
import { useAppStore } from '../app-store';
import { workerClient } from '../client-ref';

function tellWorker(isLabels: boolean | null): void {
  // Label evaluation (kNN monitor, linear probe, label colours) runs only after an explicit yes.
  workerClient().send({ type: 'useFolderLabels', use: isLabels === true });
}

/** New folders were loaded: the remembered answer for this data set applies, or the question is asked. */
export function onDatasetFolders(folders: DatasetFolders): void {
  const remembered = folders.names.length >= 2 ? folderLabelMemory.answer(folders.fingerprint) : null;
  useAppStore.setState((s) => ({ dataset: { ...s.dataset, folderLabels: remembered } }));
  tellWorker(remembered);
}

/** The person's answer (first or changed): remembered for this data set and applied at once. */
export function answerFolderLabels(isLabels: boolean): void {
  const { folders } = useAppStore.getState().dataset;
  if (!folders || folders.names.length < 2) return;
  folderLabelMemory.remember(folders.fingerprint, isLabels);
  useAppStore.setState((s) => ({ dataset: { ...s.dataset, folderLabels: isLabels } }));
  tellWorker(isLabels);
}
