import { useAppStore } from '../../store';

/** Files that were not added, each with its reason. */
export function SkippedList() {
  const skipped = useAppStore((s) => s.dataset.skipped);
  if (skipped.length === 0) return null;
  return (
    <div className="skipped">
      <h3>Skipped {skipped.length === 1 ? '1 file' : `${skipped.length} files`}</h3>
      <ul data-testid="skipped-list">
        {skipped.map((s, i) => (
          // Paths can repeat (the same file dropped twice): the index keeps keys unique.
          // biome-ignore lint/suspicious/noArrayIndexKey: append-only list
          <li key={i}>
            <code>{s.path || '(unnamed file)'}</code> <span className="reason">— {s.reason}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
