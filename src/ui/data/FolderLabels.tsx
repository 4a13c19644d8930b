import { answerFolderLabels, useAppStore } from '../../store';
import { folderCountsText } from '../format';

/**
 * Asks once per data set whether the folder names are labels (the answer is remembered), and shows the
 * answer with a way to change it. Label evaluation (kNN, linear probe, label colours) runs only after yes.
 */
export function FolderLabels() {
  const folders = useAppStore((s) => s.dataset.folders);
  const answer = useAppStore((s) => s.dataset.folderLabels);
  if (!folders || folders.names.length < 2) return null;
  const summary = `These images are in ${folders.names.length} folders: ${folderCountsText(folders.names, folders.counts)}.`;
  if (answer === null)
    return (
      <fieldset className="folder-labels question" data-testid="folder-labels-question">
        <legend>Are the folder names labels?</legend>
        <p>{summary}</p>
        <p className="muted small">
          If they name classes (cat, dog, car), they can measure the encoder: kNN accuracy, a linear probe and label
          colours on the map. Labels are never used for training.
        </p>
        <div className="folder-labels-buttons">
          <button type="button" className="primary" onClick={() => answerFolderLabels(true)}>
            Yes, use them for evaluation only
          </button>
          <button type="button" className="secondary" onClick={() => answerFolderLabels(false)}>
            No, they are just folders
          </button>
        </div>
      </fieldset>
    );
  return (
    <div className="folder-labels" data-testid="folder-labels-answer" data-answer={answer ? 'labels' : 'folders'}>
      <p className="small">
        {summary}{' '}
        {answer
          ? 'Their names are labels, used for evaluation only.'
          : 'Their names are not used as labels (no label evaluation).'}
      </p>
      <button type="button" className="secondary small" onClick={() => answerFolderLabels(!answer)}>
        {answer ? 'They are just folders' : 'Use the folder names as labels'}
      </button>
    </div>
  );
}
