import { hasUnsavedSteps, useAppStore, useShallow } from '../../store';

/** Whether the run on screen is saved: "Saving step N…" while a checkpoint is written, then "Saved at step N". */
export function SaveStatus() {
  const { phase, checkpoint, unsaved } = useAppStore(
    useShallow((s) => ({ phase: s.training.phase, checkpoint: s.runs.checkpoint, unsaved: hasUnsavedSteps(s) })),
  );
  if (phase === 'idle') return null;
  const { saving, saved, failed } = checkpoint;
  let text: string;
  if (saving !== null) text = `Saving step ${saving}…`;
  else if (failed)
    text = saved === null ? 'Not saved: the save failed (see above).' : `Save failed; saved at step ${saved}.`;
  else if (saved !== null) text = `Saved at step ${saved}`;
  else if (unsaved) text = 'Not saved yet';
  else return null;
  const state = saving !== null ? 'saving' : failed ? 'failed' : unsaved ? 'unsaved' : 'saved';
  return (
    <p
      className={`save-status save-${state}`}
      data-testid="save-status"
      data-state={state}
      data-saved-step={saved ?? ''}
      role="status"
    >
      {text}
    </p>
  );
}
