import { isLoading, isRunActive, useAppStore } from '../../store';
import { Panel } from '../common/Panel';
import { usePageDrop } from '../hooks/usePageDrop';
import { DataSources } from './DataSources';
import { FolderLabels } from './FolderLabels';
import { ImageSummary } from './ImageSummary';
import { LoadProgress } from './LoadProgress';
import { SkippedList } from './SkippedList';
import { ThumbnailCapNote } from './ThumbnailCapNote';
import { ThumbnailGrid } from './ThumbnailGrid';
import './data.css';

function useDataStatus(): string {
  return useAppStore((s) => {
    if (isLoading(s.dataset)) return 'Loading images…';
    if (isRunActive(s.training.phase)) return 'A run is using these images; stop it to change them.';
    if (s.dataset.imageCount === 0)
      return 'Waiting for images: drop a folder, choose a folder or files, or use the sample images.';
    if (s.dataset.imageCount < 2) return 'Waiting for more images: training needs at least 2.';
    return 'Images ready. Add more, or go on to step 2.';
  });
}

export function DataPanel() {
  const canAdd = useAppStore((s) => !isLoading(s.dataset) && !isRunActive(s.training.phase));
  const dragging = usePageDrop(canAdd);
  const status = useDataStatus();
  return (
    <Panel step={1} title="Data" status={status} className="data-panel">
      <div className="data-top">
        <DataSources dragging={dragging} />
        <div className="data-state">
          <ImageSummary />
          <FolderLabels />
          <LoadProgress />
          <SkippedList />
        </div>
      </div>
      <ThumbnailGrid />
      <ThumbnailCapNote />
    </Panel>
  );
}
