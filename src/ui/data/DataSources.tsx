import { useEffect, useRef } from 'react';
import {
  addFileList,
  evaluation,
  isLoading,
  isRunActive,
  loadSampleImages,
  setStoreSize,
  storeSizeProblem,
  useAppStore,
} from '../../store';
import { NumberField } from '../common/NumberField';
import { useBufferSnapshot } from '../hooks/useBufferSnapshot';

/** Where images come from: drop zone, folder/file pickers, the sample set; and the stored resolution. */
export function DataSources({ dragging }: { dragging: boolean }) {
  const folderInput = useRef<HTMLInputElement>(null);
  const filesInput = useRef<HTMLInputElement>(null);
  const storeSize = useAppStore((s) => s.dataset.dataConfig.storeSize);
  const imageCount = useAppStore((s) => s.dataset.imageCount);
  const busy = useAppStore((s) => isLoading(s.dataset) || isRunActive(s.training.phase));
  const sizeProblem = storeSizeProblem(storeSize);
  const mapReady = useBufferSnapshot(evaluation, () => evaluation.map !== null);

  // webkitdirectory is not in React's DOM types; set it once on the element.
  useEffect(() => {
    folderInput.current?.setAttribute('webkitdirectory', '');
  }, []);

  const onFiles = (input: HTMLInputElement) => {
    if (input.files && input.files.length > 0) addFileList(input.files);
    input.value = ''; // choosing the same folder again must fire change again
  };

  return (
    <div className="data-sources">
      <div className={`drop-zone${dragging ? ' dragging' : ''}`} data-testid="drop-zone">
        <p className="drop-title">{dragging ? 'Drop to add these images' : 'Drop a folder or images here'}</p>
        <p className="muted">Folders are read recursively. You can drop anywhere on the page.</p>
        {mapReady && (
          <p className="muted small" data-testid="drop-search-rule">
            One image dropped now searches the set for similar images (see the map); to add a single image, use “Choose
            files”.
          </p>
        )}
        <div className="button-row">
          <button type="button" disabled={busy} onClick={() => folderInput.current?.click()}>
            Choose folder
          </button>
          <button type="button" disabled={busy} onClick={() => filesInput.current?.click()}>
            Choose files
          </button>
          <button type="button" className="secondary" disabled={busy} onClick={() => void loadSampleImages()}>
            Use sample images
          </button>
        </div>
        <p className="muted small">
          The sample set is 600 Fashion-MNIST images (10 classes). Images never leave this machine.
        </p>
        <input
          ref={folderInput}
          type="file"
          multiple
          hidden
          data-testid="folder-input"
          aria-label="Choose folder"
          onChange={(event) => onFiles(event.currentTarget)}
        />
        <input
          ref={filesInput}
          type="file"
          multiple
          hidden
          accept="image/*"
          data-testid="files-input"
          aria-label="Choose files"
          onChange={(event) => onFiles(event.currentTarget)}
        />
      </div>
      <div className="store-size">
        <NumberField
          label="Stored resolution (px)"
          value={storeSize}
          min={8}
          max={1024}
          step={1}
          disabled={busy || imageCount > 0}
          onChange={setStoreSize}
          hint={
            sizeProblem ??
            (imageCount > 0
              ? 'Clear the images to change it.'
              : 'Images are centre-cropped to a square and stored at this size; training crops come from it.')
          }
        />
      </div>
    </div>
  );
}
