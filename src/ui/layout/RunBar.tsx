import { isRunActive, useAppStore } from '../../store';
import { formatLoss } from '../format';
import { BackendStatus } from '../train/BackendStatus';
import { RunControls } from '../train/RunControls';
import { RunStatus } from '../train/RunStatus';

function useTrainStatus(): string {
  return useAppStore((s) => {
    const { phase, step, message, last, backend } = s.training;
    if (s.training.pending === 'start') return 'Starting the run…';
    switch (phase) {
      case 'preparing':
        return 'Preparing: building the model and compiling GPU kernels (the first step can take a while)…';
      case 'running':
        return `Training: step ${step}, loss ${formatLoss(last?.loss)}.`;
      case 'paused':
        return `Paused at step ${step}. Resume, or Stop and export.`;
      case 'stopping':
        return 'Stopping after the current step…';
      case 'stopped':
        return s.training.canContinue
          ? `Stopped at step ${step}. Continue from here, export the encoder in step 3, or Start a new run.`
          : `Stopped at step ${step}. Export the encoder in step 3, or Start a new run.`;
      case 'done':
        return `Done: ${step} steps trained. Export the encoder in step 3.`;
      case 'error':
        return `The run failed${message ? `: ${message}` : ''}. Check the settings and Start again.`;
      default:
        if (s.dataset.imageCount < 2) return 'Waiting for images (step 1).';
        if (backend.state === 'starting') {
          return backend.progress.startsWith('Comparing')
            ? 'Waiting for the backend comparison (timing a few steps on each backend)…'
            : 'Waiting for the compute backend to start…';
        }
        if (isRunActive(phase)) return '';
        return 'Ready: check the settings, then press Start.';
    }
  });
}

/**
 * The run's controls and state, kept in view while the live views are watched (sticky on wide screens):
 * Start / Pause / Resume / Stop / Continue with the save state, the figures of the step clock, the backend.
 */
export function RunBar() {
  const status = useTrainStatus();
  return (
    <section className="run-bar" aria-label="Run">
      <div className="run-bar-row">
        <RunControls />
        <BackendStatus />
      </div>
      <RunStatus />
      <p className="run-bar-status" aria-live="polite" data-testid="train-status">
        {status}
      </p>
    </section>
  );
}
