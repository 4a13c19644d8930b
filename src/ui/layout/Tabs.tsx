import { type KeyboardEvent, type ReactNode, useId, useRef, useState } from 'react';

export interface TabSpec {
  id: string;
  label: string;
  content: ReactNode;
}

const KEY_MOVES: Record<string, (index: number, count: number) => number> = {
  ArrowRight: (i, n) => (i + 1) % n,
  ArrowLeft: (i, n) => (i - 1 + n) % n,
  Home: () => 0,
  End: (_, n) => n - 1,
};

/**
 * An ARIA tablist (WAI-ARIA Authoring Practices, automatic activation): one tab in the Tab order, arrow
 * keys / Home / End move between tabs. Inactive panels stay mounted but `hidden`, so a view keeps its
 * state (zoom, selection) across tab switches.
 */
export function Tabs({
  label,
  tabs,
  selected: chosen,
  onSelect,
}: {
  label: string;
  tabs: readonly TabSpec[];
  /** Set by a parent that also selects tabs itself (controlled); else the tabs keep their own choice. */
  selected?: string;
  onSelect?: (id: string) => void;
}) {
  const [own, setOwn] = useState(tabs[0]?.id ?? '');
  const selected = chosen ?? own;
  const setSelected = (id: string) => {
    setOwn(id);
    onSelect?.(id);
  };
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const prefix = useId();
  const onKeyDown = (event: KeyboardEvent) => {
    const move = KEY_MOVES[event.key];
    if (!move) return;
    event.preventDefault();
    const next =
      tabs[
        move(
          Math.max(
            0,
            tabs.findIndex((t) => t.id === selected),
          ),
          tabs.length,
        )
      ];
    if (!next) return;
    setSelected(next.id);
    buttons.current.get(next.id)?.focus();
  };
  return (
    <div className="tabs">
      <div role="tablist" aria-label={label} className="tab-list" onKeyDown={onKeyDown}>
        {tabs.map((tab) => (
          <button
            key={tab.id}
            ref={(el) => {
              if (el) buttons.current.set(tab.id, el);
              else buttons.current.delete(tab.id);
            }}
            type="button"
            role="tab"
            id={`${prefix}-tab-${tab.id}`}
            aria-selected={tab.id === selected}
            aria-controls={`${prefix}-panel-${tab.id}`}
            tabIndex={tab.id === selected ? 0 : -1}
            className="tab"
            onClick={() => setSelected(tab.id)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      {tabs.map((tab) => (
        <div
          key={tab.id}
          role="tabpanel"
          id={`${prefix}-panel-${tab.id}`}
          aria-labelledby={`${prefix}-tab-${tab.id}`}
          className="tab-panel"
          data-tab={tab.id}
          hidden={tab.id !== selected}
        >
          {tab.content}
        </div>
      ))}
    </div>
  );
}
