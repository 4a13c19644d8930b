import { ErrorBanner } from './common/ErrorBanner';
import { DataPanel } from './data/DataPanel';
import { ExportPanel } from './export/ExportPanel';
import { WorkerCrashNotice } from './faults/WorkerCrashNotice';
import { useWarnBeforeUnload } from './hooks/useWarnBeforeUnload';
import { LiveTabs } from './layout/LiveTabs';
import { RunBar } from './layout/RunBar';
import { ResumeOffer } from './runs/ResumeOffer';
import { SavedRunsPanel } from './runs/SavedRunsPanel';
import { TrainPanel } from './train/TrainPanel';
import './layout/layout.css';

/** Run bar on top; data and settings on one side, the live views (tabs), export and saved runs on the other. */
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
      <ResumeOffer />
      <RunBar />
      <main className="app-columns">
        <div className="app-side">
          <DataPanel />
          <TrainPanel />
        </div>
        <div className="app-main">
          <LiveTabs />
          <ExportPanel />
          <SavedRunsPanel />
        </div>
      </main>
    </div>
  );
}
