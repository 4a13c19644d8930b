import type { Page } from '@playwright/test';

export interface Box {
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Indices of the boxes this one lies inside (a button in the run bar), never counted as overlaps. */
  within: number[];
}

/**
 * Bounding boxes (page coordinates) of the visible controls: buttons, inputs, selects, tabs, summaries,
 * and of the sticky run bar, which must not cover anything either. A control inside a box that scrolls
 * sideways (a wide table on a phone) is reported by that box instead.
 */
export function controlBoxes(page: Page): Promise<{ boxes: Box[]; viewportWidth: number }> {
  return page.evaluate(() => {
    const nameOf = (el: Element): string => {
      const label =
        el.getAttribute('aria-label') ??
        (el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null) ??
        el.closest('label')?.textContent ??
        el.textContent ??
        '';
      if (el.classList.contains('run-bar')) return 'the run bar';
      return `${el.tagName.toLowerCase()} "${label.trim().replace(/\s+/g, ' ').slice(0, 50)}"`;
    };
    const sidewaysScroller = (el: Element): Element | null => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const overflow = getComputedStyle(p).overflowX;
        if ((overflow === 'auto' || overflow === 'scroll') && p.scrollWidth > p.clientWidth) return p;
      }
      return null;
    };
    const seen = new Set<Element>();
    const elements: Element[] = [];
    const boxes = [];
    for (const el of document.querySelectorAll('.run-bar, button, input, select, textarea, summary, [role="tab"]')) {
      if (!el.checkVisibility({ visibilityProperty: true })) continue;
      const target = sidewaysScroller(el) ?? el;
      if (seen.has(target)) continue;
      seen.add(target);
      const r = target.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      elements.push(target);
      boxes.push({
        within: elements.flatMap((outer, i) => (outer !== target && outer.contains(target) ? [i] : [])),
        name: target === el ? nameOf(el) : `scroll box around ${nameOf(el)}`,
        x: r.x + window.scrollX,
        y: r.y + window.scrollY,
        width: r.width,
        height: r.height,
      });
    }
    return { boxes, viewportWidth: document.documentElement.clientWidth };
  });
}

/** "a overlaps b" for every pair of boxes that share more than a pixel each way. */
export function overlaps(boxes: readonly Box[]): string[] {
  const found: string[] = [];
  boxes.forEach((a, i) => {
    boxes.slice(i + 1).forEach((b, k) => {
      if (b.within.includes(i) || a.within.includes(i + 1 + k)) return;
      const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
      const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
      if (w > 1 && h > 1) found.push(`${a.name} overlaps ${b.name}`);
    });
  });
  return found;
}

/** Controls that reach past the left or right edge of the viewport. */
export function outside(boxes: readonly Box[], viewportWidth: number): string[] {
  return boxes
    .filter((b) => b.x < -0.5 || b.x + b.width > viewportWidth + 0.5)
    .map((b) => `${b.name} spans x ${Math.round(b.x)}..${Math.round(b.x + b.width)} of ${viewportWidth}`);
}
