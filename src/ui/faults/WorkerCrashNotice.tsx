import { useEffect } from 'react';
import { resumeRun, useAppStore } from '../../store';
import '../common/error-banner.css';

/** sessionStorage key: the saved run to resume once the page has reloaded after a worker crash. */
const RESUME_KEY = 'simclr-tab:resume-after-reload';

function reloadAndResume(runId: string | null): void {
  if (runId) sessionStorage.setItem(RESUME_KEY, runId);
  location.reload();
}

/**
 * When the training worker has crashed (it is gone: nothing more can run in this page), says so and
 * offers to reload and resume the run from its last autosaved checkpoint. After the reload, the run is
 * resumed by itself.
 */
export function WorkerCrashNotice() {
  const crash = useAppStore((s) => s.errors.errors.find((e) => e.name === 'WorkerCrash') ?? null);
  const lastSaved = useAppStore((s) => s.runs.lastSaved);

  useEffect(() => {
    const runId = sessionStorage.getItem(RESUME_KEY);
    if (!runId) return;
    sessionStorage.removeItem(RESUME_KEY);
    resumeRun(runId);
  }, []);

  if (!crash) return null;
  return (
    <div className="error-banner crash-notice" role="alert" data-testid="worker-crash">
      <p>
        <strong>The training worker stopped.</strong> {crash.message}
      </p>
      <p>
        {lastSaved
          ? `Your run was saved at step ${lastSaved.step}: reload to resume it from there with its images.`
          : 'No checkpoint of this run was saved yet: after the reload, load the images again and start.'}
      </p>
      <button type="button" className="primary" onClick={() => reloadAndResume(lastSaved?.runId ?? null)}>
        {lastSaved ? `Reload and resume from step ${lastSaved.step}` : 'Reload the page'}
      </button>
    </div>
  );
}
