import {
  BACKEND_LABEL,
  type BackendComparison,
  COMPARED_BACKENDS,
  describeChoice,
  describeNoGpu,
  formatStepTime,
} from '../../protocol/backend-comparison';
import type { BackendName } from '../../protocol/config';
import {
  chooseBackend,
  isRunActive,
  measureBackendsAgain,
  stopBackendComparison,
  useAppStore,
  useShallow,
} from '../../store';

const CHOICES: readonly BackendName[] = [...COMPARED_BACKENDS, 'cpu'];

/** 'wasm — 250 ms per step', 'WebGPU — failed to start', or just the name when not compared. */
function optionLabel(backend: BackendName, comparison: BackendComparison | null): string {
  const timing = comparison?.timings.find((t) => t.backend === backend);
  if (!timing) return BACKEND_LABEL[backend];
  if (timing.outcome === 'skipped') return `${BACKEND_LABEL[backend]} — not timed`;
  if (timing.outcome === 'failed')
    return `${BACKEND_LABEL[backend]} — failed ${timing.stage === 'start' ? 'to start' : 'a step'}`;
  return `${BACKEND_LABEL[backend]} — ${formatStepTime(timing.msPerStep)} per step`;
}

function useBackend() {
  const backend = useAppStore(useShallow((s) => s.training.backend));
  const runActive = useAppStore((s) => isRunActive(s.training.phase) || s.training.pending === 'start');
  const ready = backend.state === 'ready' && backend.backend !== null;
  return { backend, decision: backend.decision, ready, busy: backend.state === 'starting' || runActive };
}

/** Which compute backend runs and why, in one line (the run bar). A fallback is a warning, not an error. */
export function BackendStatus() {
  const { backend, decision, ready } = useBackend();
  let text: string;
  let tone: string;
  if (backend.state === 'starting') {
    text = backend.progress || 'Starting the compute backend…';
    tone = 'pending';
  } else if (backend.state === 'failed') {
    text = `Backend failed to start — ${backend.reason}`;
    tone = 'failed';
  } else {
    const kernels = backend.customKernels.length > 0 ? ` · our kernels: ${backend.customKernels.join(', ')}` : '';
    text = `Backend: ${backend.backend} — ${backend.reason || 'ready'}${kernels}`;
    tone = decision?.source === 'fallback' ? 'fallback' : 'ok';
  }
  return (
    <p
      className={`backend-status ${tone}`}
      data-testid="backend-status"
      data-backend={backend.backend ?? ''}
      data-source={ready ? (decision?.source ?? '') : ''}
      title={backend.adapterInfo || undefined}
      role={backend.state === 'starting' ? 'status' : undefined}
    >
      {tone === 'fallback' && <span aria-hidden="true">⚠ </span>}
      {text}
    </p>
  );
}

/**
 * How the backend was chosen (with the measured step times), plain words when there is no hardware GPU,
 * a chooser and "Measure again".
 */
export function BackendChooser() {
  const { backend, decision, ready, busy } = useBackend();
  const choice = ready && decision && backend.backend ? describeChoice(backend.backend, decision) : '';
  const noGpu = ready && decision && backend.backend ? describeNoGpu(backend.backend, decision) : '';
  const comparing = backend.state === 'starting' && backend.progress.startsWith('Comparing backends');
  const comparison = decision?.comparison ?? null;
  return (
    <div className="backend-panel">
      {choice && (
        <p className="backend-choice" data-testid="backend-choice">
          {choice}
        </p>
      )}
      {noGpu && (
        <p className="backend-no-gpu" data-testid="backend-no-gpu">
          {noGpu}
        </p>
      )}
      <div className="backend-controls">
        <label>
          Backend{' '}
          <select
            aria-label="Backend"
            value={backend.backend ?? ''}
            disabled={busy || backend.backend === null}
            onChange={(e) => chooseBackend(e.target.value as BackendName)}
          >
            {backend.backend === null && <option value="">…</option>}
            {CHOICES.map((name) => (
              <option key={name} value={name}>
                {optionLabel(name, comparison)}
              </option>
            ))}
          </select>
        </label>
        {comparing ? (
          <button type="button" onClick={stopBackendComparison}>
            Stop comparing (use the fastest so far)
          </button>
        ) : (
          <button type="button" onClick={measureBackendsAgain} disabled={busy}>
            Measure again
          </button>
        )}
        <span className="hint">
          Your pick is remembered in this browser. To force a backend without comparing, open the app with{' '}
          <code>?backend=webgpu</code>, <code>webgl</code>, <code>wasm</code> or <code>cpu</code>.
        </span>
      </div>
    </div>
  );
}
