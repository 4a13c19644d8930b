import type { ReactNode } from 'react';
import './panel.css';

interface PanelProps {
  step: number;
  title: string;
  /** One sentence: what this step is waiting for, or what it is doing. */
  status: ReactNode;
  children: ReactNode;
  className?: string;
  /** A link target (e.g. '#saved-runs'). */
  id?: string;
}

/** One numbered step of the screen: Data, Train, Export. */
export function Panel({ step, title, status, children, className, id }: PanelProps) {
  const headingId = `step-${step}-title`;
  return (
    <section id={id} className={`panel ${className ?? ''}`} aria-labelledby={headingId}>
      <header className="panel-header">
        <h2 id={headingId}>
          <span className="step-number" aria-hidden="true">
            {step}
          </span>
          {title}
        </h2>
        <p className="panel-status" aria-live="polite">
          {status}
        </p>
      </header>
      {children}
    </section>
  );
}
