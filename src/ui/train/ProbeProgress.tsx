import { useEffect, useState } from 'react';
import { describeCandidate } from '../../protocol/auto-config';
import { useAppStore } from '../../store';
import { plural } from '../format';

/** Seconds since the probe's last progress event, ticking: a warm-up step can take a minute on a CPU. */
function useSecondsSince(key: unknown): number {
  const [since, setSince] = useState(() => performance.now());
  const [now, setNow] = useState(since);
  useEffect(() => {
    void key;
    const at = performance.now();
    setSince(at);
    setNow(at);
    const timer = setInterval(() => setNow(performance.now()), 250);
    return () => clearInterval(timer);
  }, [key]);
  return Math.max(0, (now - since) / 1000);
}

/**
 * What auto-configure's probe is doing now: which size it times (or whether it times the pick itself),
 * which of its steps (the first is an untimed warm-up that compiles kernels), and for how long it has run.
 */
export function ProbeProgress() {
  const progress = useAppStore((s) => s.training.auto.progress);
  const startWhenDone = useAppStore((s) => s.training.auto.startWhenDone);
  const since = useSecondsSince(progress);
  const elapsed = (progress?.elapsedSeconds ?? 0) + since;
  const then = startWhenDone ? ' Training starts with the pick when it is done.' : '';
  if (!progress)
    return (
      <span data-testid="probe-progress">
        Starting the probe… ({elapsed.toFixed(1)} s){then}
      </span>
    );
  const { stage, candidate, step, steps, tried } = progress;
  const what = `${stage === 'confirming' ? 'Timing the pick itself,' : 'Timing'} ${describeCandidate(candidate)}`;
  const which =
    step <= 0
      ? 'building the model'
      : step === 1
        ? `step 1 of ${steps}, warm-up (compiles kernels, not timed)`
        : `step ${step} of ${steps}, timed`;
  return (
    <span data-testid="probe-progress" data-step={step} data-steps={steps} data-stage={stage}>
      {what}: {which}. {tried > 0 ? `${plural(tried, 'size', 'sizes')} timed so far; ` : ''}
      {elapsed.toFixed(1)} s.{then}
      <progress
        className="probe-progress"
        aria-label="Auto-configure progress"
        max={steps}
        value={Math.max(0, step - 1)}
      />
    </span>
  );
}
