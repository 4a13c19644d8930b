import { useState } from 'react';
import { resumeRun, useAppStore } from '../../store';

/** "12:04" today, "3 Dec, 12:04" before. */
function when(updatedAt: string | number): string {
  const date = new Date(updatedAt);
  const time = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  if (date.toDateString() === new Date().toDateString()) return time;
  return `${date.toLocaleDateString([], { day: 'numeric', month: 'short' })}, ${time}`;
}

/** After a reload, the newest saved run offered at the top of the page, until a run starts or it is dismissed. */
export function ResumeOffer() {
  const [dismissed, setDismissed] = useState(false);
  const newest = useAppStore((s) =>
    s.runs.runs.reduce<(typeof s.runs.runs)[number] | undefined>(
      (a, r) => (a && new Date(a.updatedAt) >= new Date(r.updatedAt) ? a : r),
      undefined,
    ),
  );
  const show = useAppStore(
    (s) => s.training.phase === 'idle' && s.training.pending === null && s.runs.restored === null,
  );
  const resuming = useAppStore((s) => s.runs.resuming !== null);
  if (!newest || !show || dismissed) return null;
  return (
    <section className="resume-offer" aria-label="Saved run" data-testid="resume-offer">
      <p className="resume-offer-question">
        Resume the run of {when(newest.updatedAt)}, step {newest.step.toLocaleString('en')} of{' '}
        {newest.totalSteps.toLocaleString('en')} ({newest.encoder}, {newest.imageCount.toLocaleString('en')} images)?
      </p>
      <div className="button-row">
        <button type="button" className="primary" disabled={resuming} onClick={() => resumeRun(newest.id)}>
          {resuming ? 'Restoring…' : 'Resume this run'}
        </button>
        <button type="button" className="secondary" onClick={() => setDismissed(true)}>
          Not now
        </button>
        <a href="#saved-runs">All saved runs</a>
      </div>
    </section>
  );
}
