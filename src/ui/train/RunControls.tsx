import {
  continueTraining,
  pauseTraining,
  probeNotice,
  resumeTraining,
  runControls,
  startProblems,
  startTraining,
  stopTraining,
  useAppStore,
  useShallow,
} from '../../store';
import { SaveStatus } from './SaveStatus';

/**
 * Start / Pause / Resume / Stop, enabled by phase, and Continue after a Stop before the end; why Start is
 * disabled is said beside it, and whether the run is saved after them.
 */
export function RunControls() {
  const controls = useAppStore(useShallow(runControls));
  const problems = useAppStore(useShallow(startProblems));
  const notice = useAppStore(probeNotice);
  const phaseAllowsStart = useAppStore(
    (s) => !['preparing', 'running', 'paused', 'stopping'].includes(s.training.phase),
  );
  const showProblems = phaseAllowsStart && problems.length > 0;
  return (
    <div className="run-controls">
      <div className="button-row">
        <button
          type="button"
          className={controls.canContinue ? undefined : 'primary'}
          disabled={!controls.canStart}
          aria-describedby={showProblems ? 'start-problems' : undefined}
          onClick={startTraining}
        >
          Start
        </button>
        <button type="button" disabled={!controls.canPause} onClick={pauseTraining}>
          Pause
        </button>
        <button type="button" disabled={!controls.canResume} onClick={resumeTraining}>
          Resume
        </button>
        <button type="button" disabled={!controls.canStop} onClick={stopTraining}>
          Stop
        </button>
        {controls.canContinue && (
          <button type="button" className="primary" onClick={continueTraining}>
            Continue
          </button>
        )}
        <SaveStatus />
      </div>
      {phaseAllowsStart && notice && (
        <p className="hint" role="status" data-testid="probe-notice">
          {notice}
        </p>
      )}
      {showProblems && (
        <ul id="start-problems" className="problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
