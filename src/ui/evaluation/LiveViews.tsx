import type { ReactNode } from 'react';
import { setEvalConfig, setLiveViews, useAppStore } from '../../store';
import { NumberField } from '../common/NumberField';
import './evaluation.css';

/** "Show live views" toggle; hidden views are unmounted, so the page does no chart work while training. */
export function LiveViewsToggle() {
  const visible = useAppStore((s) => s.evaluation.liveViews);
  const embedEvery = useAppStore((s) => s.evaluation.config.embedEvery);
  return (
    <div className="live-views-toggle">
      <label>
        <input type="checkbox" checked={visible} onChange={(e) => setLiveViews(e.target.checked)} />
        Show live views
      </label>
      <NumberField
        label="Map every (steps)"
        value={embedEvery}
        min={0}
        step={1}
        onChange={(value) => setEvalConfig({ embedEvery: value })}
        hint="Embeds the data set for the map and kNN; 0: only before and after the run. Applies at once."
      />
    </div>
  );
}

/** Renders its children only while the live views are shown. */
export function LiveViews({ children }: { children: ReactNode }) {
  const visible = useAppStore((s) => s.evaluation.liveViews);
  if (!visible)
    return (
      <p className="muted small" data-testid="live-views-hidden">
        Live views are hidden; training continues. Tick “Show live views” to see them.
      </p>
    );
  return <>{children}</>;
}
