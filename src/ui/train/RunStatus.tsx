import { displayedTotalSteps, useAppStore, useShallow } from '../../store';
import type { PendingCommand } from '../../store/training/state';
import {
  formatCount,
  formatDuration,
  formatLearningRate,
  formatLoss,
  formatStepProgress,
  formatThroughput,
} from '../format';

/** A figure of the step clock: 'measuring…' until the worker has timed a step after warm-up. */
function measured(value: number | null | undefined, format: (v: number) => string): string {
  return value === null || value === undefined ? 'measuring…' : format(value);
}

/** What a sent command waits for, in words: a step under way finishes first, and it can take seconds. */
function pendingText(pending: NonNullable<PendingCommand>, step: number): string {
  switch (pending) {
    case 'stop':
      return `Stopping: step ${formatCount(step + 1)} finishes first, then the run is saved…`;
    case 'pause':
      return `Pausing: step ${formatCount(step + 1)} finishes first, then the run is saved…`;
    case 'start':
      return 'Starting…';
    case 'resume':
      return 'Resuming…';
    case 'continue':
      return 'Continuing…';
  }
}

/** The run's state in numbers: phase, step, loss, learning rate, throughput, ETA. */
export function RunStatus() {
  const { phase, step, message, last, pending } = useAppStore(
    useShallow((s) => ({
      phase: s.training.phase,
      step: s.training.step,
      message: s.training.message,
      last: s.training.last,
      pending: s.training.pending,
    })),
  );
  const total = useAppStore(displayedTotalSteps);
  const running = phase === 'running';
  return (
    <div className="run-status">
      <dl className="stats">
        <div>
          <dt>Phase</dt>
          <dd className={`phase phase-${phase}`} data-testid="train-phase">
            {phase}
          </dd>
        </div>
        <div>
          <dt>Progress</dt>
          <dd data-testid="step-counter" data-step={step}>
            {formatStepProgress(step, total)}
          </dd>
        </div>
        <div>
          <dt>Loss</dt>
          <dd data-testid="loss-value">{formatLoss(last?.loss)}</dd>
        </div>
        <div>
          <dt>Learning rate</dt>
          <dd data-testid="lr-value">{formatLearningRate(last?.learningRate)}</dd>
        </div>
        <div>
          <dt>Throughput</dt>
          <dd data-testid="throughput" data-images-per-second={running ? (last?.imagesPerSecond ?? '') : ''}>
            {running ? measured(last?.imagesPerSecond, formatThroughput) : '—'}
          </dd>
        </div>
        <div>
          <dt>Time left</dt>
          <dd data-testid="eta" data-eta-seconds={running ? (last?.etaSeconds ?? '') : ''}>
            {running ? measured(last?.etaSeconds, formatDuration) : '—'}
          </dd>
        </div>
      </dl>
      {total > 0 && (
        <progress className="step-progress" aria-label="Training progress" max={total} value={Math.min(step, total)} />
      )}
      {(message || pending) && (
        <p className="muted" data-testid="run-message">
          {pending ? pendingText(pending, step) : message}
        </p>
      )}
    </div>
  );
}
