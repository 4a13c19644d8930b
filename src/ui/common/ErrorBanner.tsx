import { dismissErrors, useAppStore } from '../../store';
import './error-banner.css';

/** Every error, naming where it happened; dismissing it never changes the run's state. */
export function ErrorBanner() {
  const errors = useAppStore((s) => s.errors.errors);
  if (errors.length === 0) return null;
  return (
    <div className="error-banner" role="alert" data-testid="error-banner">
      <ul>
        {errors.map((error) => (
          <li key={error.id}>
            <strong>{error.context}:</strong> {error.message}
          </li>
        ))}
      </ul>
      <button type="button" className="secondary" onClick={dismissErrors}>
        Dismiss
      </button>
    </div>
  );
}
