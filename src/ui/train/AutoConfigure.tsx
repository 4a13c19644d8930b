import type { AutoConfigChoice, AutoField, Blocker } from '../../protocol/auto-config';
import { describeCandidate, sameCandidate } from '../../protocol/auto-config';
import { TIMED_STEPS } from '../../protocol/auto-config-probe';
import type { TrainDuration } from '../../protocol/config';
import { describeChunks } from '../../protocol/step-memory';
import {
  autoConfigBlocker,
  autoConfigure,
  cancelAutoConfigure,
  displayedTotalSteps,
  fitDurationToBudget,
  predictedEtaSeconds,
  predictedPasses,
  predictedSecondsPerStep,
  predictionBasis,
  resetAutoOverrides,
  setTimeBudget,
  settingsLocked,
  timeBudgetProblem,
  useAppStore,
} from '../../store';
import { NumberField } from '../common/NumberField';
import { formatBytes, formatDuration, plural } from '../format';
import { ProbeProgress } from './ProbeProgress';
import './auto-configure.css';

/** 'Auto' or 'set by you' under a field auto-configuration picks (nothing before the first probe). */
export function useAutoMark(field: AutoField): string | undefined {
  return useAppStore((s) => {
    const { choice, overridden } = s.training.auto;
    if (overridden.includes(field)) return 'Set by you: auto-configure keeps it.';
    return choice ? 'Auto: picked for this device.' : undefined;
  });
}

function durationText(d: TrainDuration): string {
  return plural(d.value, d.unit === 'epochs' ? 'epoch' : 'step', d.unit);
}

function seconds(s: number): string {
  return s < 1 ? `${(s * 1000).toFixed(s < 0.01 ? 1 : 0)} ms` : `${s.toFixed(2)} s`;
}

function memoryText(problem: Extract<Blocker, { kind: 'memory' }>['problem']): string {
  const need = formatBytes(problem.needBytes);
  const limit = formatBytes(problem.limitBytes);
  switch (problem.kind) {
    case 'chunk':
      return `does not fit this device's memory in the chunk you set (about ${need} with the loss over the whole batch, ${limit} left after the weights)`;
    case 'tensor':
      return `does not fit this device's memory even two images per chunk (its largest tensor is ${need}, over the ${limit} limit)${problem.largestBatch > 0 ? `; batch ${problem.largestBatch} would fit` : ''}`;
    case 'total':
      return `does not fit this device's memory even two images per chunk (about ${need} with the loss over the whole batch, ${limit} left after the weights)${problem.largestBatch > 0 ? `; batch ${problem.largestBatch} would fit` : ''}`;
  }
}

function nextUpText(next: Blocker): string {
  switch (next.kind) {
    case 'largest':
      return 'Nothing larger was considered.';
    case 'slow':
      return `Next size up, ${describeCandidate(next.candidate)}: about ${formatDuration(next.etaSeconds)}, over the budget.`;
    case 'memory':
      return `Next size up, ${describeCandidate(next.candidate)}: ${memoryText(next.problem)}.`;
    case 'failed':
      return `Next size up, ${describeCandidate(next.candidate)}: ${
        next.outOfMemory ? 'ran out of memory' : `failed (${next.message})`
      } when timed.`;
  }
}

function ChoiceSummary({ choice }: { choice: AutoConfigChoice }) {
  const result = useAppStore((s) => s.training.auto.result);
  const budget = useAppStore((s) => s.training.auto.timeBudgetMinutes);
  const duration = useAppStore((s) => s.training.config.duration);
  const adapter = useAppStore((s) => s.training.backend.adapterInfo);
  const lowered = useAppStore((s) => s.training.auto.batchLowered);
  if (!result) return null;
  const timed = result.measurements.length;
  const own = result.measurements.find((m) => sameCandidate(m.candidate, choice.candidate));
  const basis = own
    ? `measured: ${plural(TIMED_STEPS, 'step', 'steps')} of batch ${own.candidate.batchSize} at ${own.candidate.imageSize} px after a warm-up step of ${seconds(own.firstStepSeconds)}`
    : `extrapolated by FLOPs from ${plural(timed, 'timed size', 'timed sizes')}`;
  return (
    <div className="auto-config-summary" data-testid="autoconfig-summary">
      <p>
        Picked <strong data-testid="autoconfig-pick">{describeCandidate(choice.candidate)}</strong>
        {choice.stepPlan && choice.stepPlan.passes > 1 && (
          <span data-testid="autoconfig-passes">
            {' '}
            in {describeChunks(choice.stepPlan)} images ({choice.stepPlan.reason}; the loss and gradient are still the
            whole batch's)
          </span>
        )}{' '}
        for {result.backend}
        {adapter ? ` on ${adapter}` : ''} ({result.limits.source}).
      </p>
      <p>
        Step time ({basis}): <strong>{seconds(choice.secondsPerStep)}</strong>. {durationText(duration)} (
        {plural(choice.steps, 'step', 'steps')}
        {choice.passes > 0 ? ` and ${plural(choice.passes, 'embedding pass', 'embedding passes')}` : ''}) take about{' '}
        <strong>{formatDuration(choice.etaSeconds)}</strong>
        {choice.fitsBudget
          ? `, within the ${budget} min budget.`
          : `, over the ${budget} min budget ${choice.considered > 1 ? 'even at the smallest size' : 'with the sizes you set'}${
              choice.fittingDuration ? `: train for ${durationText(choice.fittingDuration)} to fit it` : ''
            }.`}
      </p>
      {choice.fittingDuration && (
        <button type="button" onClick={fitDurationToBudget}>
          Train for {durationText(choice.fittingDuration)}
        </button>
      )}
      {lowered && (
        <p data-testid="autoconfig-batch-lowered">
          Batch size lowered from {lowered.from} to {lowered.to}: a batch cannot hold more images than the data set has.
        </p>
      )}
      <p>
        {choice.considered > 1 ? nextUpText(choice.next) : 'You set every size field, so only this size was timed.'}
      </p>
      <p className="hint">
        Probe: {plural(timed, 'size', 'sizes')} timed in {result.elapsedSeconds.toFixed(1)} s. {result.stopReason}
      </p>
    </div>
  );
}

/** The run time of the settings as they are now, which may differ from the pick after an override. */
function CurrentEta() {
  const eta = useAppStore(predictedEtaSeconds);
  const perStep = useAppStore(predictedSecondsPerStep);
  const steps = useAppStore(displayedTotalSteps);
  const passes = useAppStore(predictedPasses);
  const basis = useAppStore(predictionBasis);
  const overridden = useAppStore((s) => s.training.auto.overridden.length > 0);
  if (eta === null || perStep === null) return null;
  return (
    <p data-testid="autoconfig-eta" data-eta-seconds={eta.toFixed(3)}>
      ETA with the current settings{overridden ? ' (with your changes)' : ''}: <strong>{formatDuration(eta)}</strong> (
      {plural(steps, 'step', 'steps')} at {seconds(perStep)}
      {passes > 0 ? `, and ${plural(passes, 'embedding pass', 'embedding passes')} of the map` : ''})
      {basis === 'extrapolated' && (
        <span className="hint autoconfig-extrapolated" data-testid="autoconfig-eta-extrapolated">
          {' '}
          These settings were not timed themselves: their step time is extrapolated by FLOPs from the sizes timed, and
          small steps can run faster than that. Press Auto-configure to time them; fields you set stay as they are.
        </span>
      )}
    </p>
  );
}

function statusText(state: ReturnType<typeof useAutoStatus>): string {
  switch (state.status) {
    case 'probing':
      return ''; // ProbeProgress says what it does

    case 'cancelled':
      return 'Auto-configure was cancelled: the settings are unchanged.';
    case 'failed':
      return state.error ?? 'Auto-configure failed.';
    case 'done':
      return '';
    case 'idle':
      return state.blocker ?? 'Press Auto-configure to time a few sizes on this device.';
  }
}

function useAutoStatus() {
  const status = useAppStore((s) => s.training.auto.status);
  const error = useAppStore((s) => s.training.auto.error);
  const blocker = useAppStore(autoConfigBlocker);
  return { status, error, blocker };
}

/**
 * Times a few training steps on this device and picks the encoder, width, image size and batch size
 * that fit its memory and the time budget; the person can change any of them afterwards.
 */
export function AutoConfigure() {
  const state = useAutoStatus();
  const locked = useAppStore(settingsLocked);
  const choice = useAppStore((s) => s.training.auto.choice);
  const budget = useAppStore((s) => s.training.auto.timeBudgetMinutes);
  const overridden = useAppStore((s) => s.training.auto.overridden.length);
  const probing = state.status === 'probing';
  const text = statusText(state);
  return (
    <fieldset className="auto-config" disabled={locked}>
      <legend>Auto-configure</legend>
      <div className="auto-config-controls">
        <button
          type="button"
          onClick={autoConfigure}
          disabled={probing || state.blocker !== null}
          aria-describedby="autoconfig-status"
        >
          Auto-configure
        </button>
        {probing && (
          <button type="button" onClick={cancelAutoConfigure}>
            Cancel auto-configure
          </button>
        )}
        <NumberField
          label="Time budget (min)"
          value={budget}
          min={0}
          step="any"
          onChange={setTimeBudget}
          hint={timeBudgetProblem(budget)}
        />
        {overridden > 0 && choice && (
          <button type="button" onClick={resetAutoOverrides}>
            Reset to auto
          </button>
        )}
      </div>
      <p
        id="autoconfig-status"
        role="status"
        data-testid="autoconfig-status"
        data-status={state.status}
        className={state.status === 'failed' ? 'auto-config-error' : undefined}
      >
        {probing ? <ProbeProgress /> : text}
      </p>
      {choice && <ChoiceSummary choice={choice} />}
      <CurrentEta />
    </fieldset>
  );
}
