import { validateFineTuneConfig } from '../../protocol/fine-tune';
import { fineTuneBlocker, pauseFineTune, resumeFineTune, startFineTune, stopFineTune, useAppStore } from '../../store';
import { formatLoss } from '../format';
import { ClassifyTry } from './ClassifyTry';
import { ConfusionMatrix } from './ConfusionMatrix';
import { FineTuneSettings } from './FineTuneSettings';
import './fine-tune.css';

const percent = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '—');

const PHASE_TEXT = {
  idle: 'Not started.',
  preparing: 'Preparing: copying the encoder and running the linear probe on frozen features…',
  running: 'Fine-tuning',
  paused: 'Paused',
  stopped: 'Stopped',
  done: 'Done',
  error: 'Failed',
} as const;

/**
 * Fine-tune with few labels (SimCLR v2): a copy of the trained encoder and a linear classifier trained on a
 * share of the labelled images, beside the frozen-encoder linear probe and the majority-class baseline; then
 * try the classifier on an image and download it. Self-contained: mounted with one line.
 */
export function FineTunePanel() {
  const blocker = useAppStore(fineTuneBlocker);
  const status = useAppStore((s) => s.fineTune.status);
  const config = useAppStore((s) => s.fineTune.config);
  const starting = useAppStore((s) => s.fineTune.startRequestId !== null && s.fineTune.status.phase !== 'preparing');
  const startError = useAppStore((s) => s.fineTune.startError);
  const active = ['preparing', 'running', 'paused'].includes(status.phase);
  const canStart = blocker === null && !active && !starting && validateFineTuneConfig(config).length === 0;
  return (
    <section className="fine-tune" aria-label="Fine-tune with few labels" data-testid="fine-tune">
      <h3>Fine-tune with few labels</h3>
      <p className="muted small">
        Trains a copy of the encoder with a linear classifier on a share of the labelled images (SimCLR v2, section 3);
        the trained encoder itself is not changed. 20% of each class is held out for the accuracy and the confusion
        matrix. Beside it: logistic regression on the frozen encoder&apos;s features of the same images (linear probe)
        and always guessing the largest class (baseline).
      </p>
      {blocker && (
        <p className="absent-reason" data-testid="fine-tune-blocker">
          {blocker}
        </p>
      )}
      <FineTuneSettings disabled={active} />
      <div className="button-row">
        <button type="button" className="primary" disabled={!canStart} onClick={startFineTune}>
          {status.phase === 'idle' ? 'Start fine-tuning' : 'Fine-tune again'}
        </button>
        <button type="button" disabled={status.phase !== 'running'} onClick={pauseFineTune}>
          Pause fine-tuning
        </button>
        <button type="button" disabled={status.phase !== 'paused'} onClick={resumeFineTune}>
          Resume fine-tuning
        </button>
        <button type="button" disabled={!active} onClick={stopFineTune}>
          Stop fine-tuning
        </button>
      </div>
      {startError && (
        <p className="error-text" role="alert" data-testid="fine-tune-error">
          Fine-tuning could not start: {startError}
        </p>
      )}
      <p className="fine-tune-status" data-testid="fine-tune-status" data-phase={status.phase} aria-live="polite">
        {PHASE_TEXT[status.phase]}
        {status.totalSteps > 0 && status.phase !== 'preparing' && `: step ${status.step} of ${status.totalSteps}`}
        {Number.isFinite(status.loss) && `, loss ${formatLoss(status.loss)}`}
        {status.message && status.phase !== 'error' && `. ${status.message}`}
      </p>
      {status.phase === 'error' && (
        <p className="error-text" role="alert" data-testid="fine-tune-error">
          {status.message}
        </p>
      )}
      {status.labelNames.length > 0 && (
        <>
          <dl className="health-stats">
            <div>
              <dt>Fine-tuned, held-out accuracy</dt>
              <dd data-testid="fine-tune-accuracy" data-value={status.accuracy}>
                {percent(status.accuracy)}
                {status.evaluatedStep > 0 && <span className="muted small"> (step {status.evaluatedStep})</span>}
              </dd>
            </div>
            <div>
              <dt>Linear probe, frozen encoder</dt>
              <dd data-testid="fine-tune-probe" data-value={status.probeAccuracy}>
                {percent(status.probeAccuracy)}
              </dd>
            </div>
            <div>
              <dt>Baseline (largest class)</dt>
              <dd data-testid="fine-tune-majority" data-value={status.majority}>
                {percent(status.majority)}
              </dd>
            </div>
            <div>
              <dt>Labelled / held-out images</dt>
              <dd data-testid="fine-tune-counts">
                {status.trainCount} / {status.testCount}
              </dd>
            </div>
          </dl>
          <ConfusionMatrix labels={status.labelNames} counts={status.confusion} />
        </>
      )}
      <ClassifyTry />
    </section>
  );
}
