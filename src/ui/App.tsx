import { ErrorBanner } from './common/ErrorBanner';
import { DataPanel } from './data/DataPanel';
import { ExportPanel } from './export/ExportPanel';
import { WorkerCrashNotice } from './faults/WorkerCrashNotice';
import { FineTunePanel } from './fine-tune/FineTunePanel';
import { useWarnBeforeUnload } from './hooks/useWarnBeforeUnload';
import { SavedRunsPanel } from './runs/SavedRunsPanel';
import { TrainPanel } from './train/TrainPanel';

export function App() {
  useWarnBeforeUnload();
  return (
    <div className="app">
      <header className="app-header">
        <h1>simclr-tab</h1>
        <p>
          Train a self-supervised image encoder (SimCLR) on your own unlabeled images, in this tab. Nothing is uploaded.
        </p>
      </header>
      <ErrorBanner />
      <WorkerCrashNotice />
      <main>
        <DataPanel />
        <TrainPanel />
        <FineTunePanel />
        <ExportPanel />
        <SavedRunsPanel />
      </main>
    </div>
  );
}
