import { useAppStore } from '../../store';

/** More than this many list items would slow the page for no reader's benefit. */
const SHOWN = 1000;

/** Files that were not added, each with its reason. */
export function SkippedList() {
  const skipped = useAppStore((s) => s.dataset.skipped);
  if (skipped.length === 0) return null;
  const hidden = skipped.length - SHOWN;
  return (
    <div className="skipped">
      <h3>Skipped {skipped.length === 1 ? '1 file' : `${skipped.length} files`}</h3>
      <ul data-testid="skipped-list">
        {skipped.slice(0, SHOWN).map((s, i) => (
          // Paths can repeat (the same file dropped twice): the index keeps keys unique.
          // biome-ignore lint/suspicious/noArrayIndexKey: append-only list
          <li key={i}>
            <code>{s.path || '(unnamed file)'}</code> <span className="reason">— {s.reason}</span>
          </li>
        ))}
      </ul>
      {hidden > 0 && <p className="muted small">…and {hidden} more not listed.</p>}
    </div>
  );
}
