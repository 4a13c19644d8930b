import { useEffect, useId } from 'react';
import type { SavedRunInfo } from '../../protocol/runs';
import {
  deleteRun,
  downloadCheckpoint,
  importFile,
  isRunActive,
  listRuns,
  resumeRun,
  setConfig,
  useAppStore,
} from '../../store';
import { NumberField } from '../common/NumberField';
import { Panel } from '../common/Panel';
import { formatBytes, formatCount, formatLoss, formatStepProgress } from '../format';
import './runs.css';

function useRunsStatus(): string {
  return useAppStore((s) => {
    if (s.runs.resuming) return 'Restoring the images and the checkpoint…';
    if (s.runs.restored) return s.runs.restored.message;
    if (s.runs.lastSaved) return `Checkpoint saved at step ${formatCount(s.runs.lastSaved.step)}.`;
    if (!s.runs.listed) return 'Reading browser storage…';
    if (s.runs.runs.length === 0) return 'No saved runs yet: runs are saved as they train.';
    return 'Resume a saved run, or import a bundle or checkpoint.';
  });
}

function StorageUse() {
  const storage = useAppStore((s) => s.runs.storage);
  if (storage.usage === null || storage.quota === null) return <p className="muted">Storage use: unknown.</p>;
  return (
    <p className="muted" data-testid="storage-use">
      Browser storage: {formatBytes(storage.usage)} used of {formatBytes(storage.quota)} available to this site.
    </p>
  );
}

function RunRow({ run, busy }: { run: SavedRunInfo; busy: boolean }) {
  const label = `${run.encoder}, ${formatCount(run.imageCount)} images, ${formatStepProgress(run.step, run.totalSteps).toLowerCase()}`;
  return (
    <tr data-testid="saved-run" data-run-id={run.id} data-step={run.step}>
      <td>{new Date(run.updatedAt).toLocaleString()}</td>
      <td>{label}</td>
      <td>{formatLoss(run.lastLoss)}</td>
      <td>{formatBytes(run.bytes)}</td>
      <td className="button-row">
        <button
          type="button"
          disabled={busy}
          aria-label={`Resume saved run: ${label}`}
          onClick={() => resumeRun(run.id)}
        >
          Resume run
        </button>
        <button type="button" aria-label={`Download checkpoint: ${label}`} onClick={() => downloadCheckpoint(run.id)}>
          Checkpoint
        </button>
        <button
          type="button"
          disabled={busy}
          aria-label={`Delete saved run: ${label}`}
          onClick={() => deleteRun(run.id)}
        >
          Delete
        </button>
      </td>
    </tr>
  );
}

function ImportField({ disabled }: { disabled: boolean }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Import a bundle (.zip) or checkpoint (.simclr)</label>
      <input
        id={id}
        type="file"
        accept=".zip,.simclr,application/zip"
        disabled={disabled}
        data-testid="import-input"
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (file) void importFile(file);
        }}
      />
    </div>
  );
}

/** Saved runs in browser storage: resume after a reload in one click, delete, import, autosave intervals. */
export function SavedRunsPanel() {
  const runs = useAppStore((s) => s.runs.runs);
  const busy = useAppStore((s) => isRunActive(s.training.phase) || s.runs.resuming !== null);
  const everySteps = useAppStore((s) => s.training.config.checkpointEverySteps);
  const everyMinutes = useAppStore((s) => s.training.config.checkpointEveryMinutes);
  const status = useRunsStatus();
  useEffect(() => {
    listRuns();
  }, []);
  return (
    <Panel step={4} title="Saved runs" status={status} className="runs-panel" id="saved-runs">
      {runs.length > 0 && (
        <div className="table-scroll">
          <table className="runs-table">
            <thead>
              <tr>
                <th>Saved</th>
                <th>Run</th>
                <th>Last loss</th>
                <th>Size</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <RunRow key={run.id} run={run} busy={busy} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <StorageUse />
      <div className="settings-grid">
        <NumberField
          label="Autosave every (steps)"
          value={everySteps}
          min={0}
          step={1}
          disabled={busy}
          hint="0 turns step-based autosave off."
          onChange={(v) => setConfig({ checkpointEverySteps: v })}
        />
        <NumberField
          label="Autosave every (minutes)"
          value={everyMinutes}
          min={0}
          disabled={busy}
          hint="0 turns time-based autosave off."
          onChange={(v) => setConfig({ checkpointEveryMinutes: v })}
        />
        <ImportField disabled={busy} />
      </div>
    </Panel>
  );
}
